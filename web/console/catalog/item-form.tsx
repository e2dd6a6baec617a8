import { App, AutoComplete, Button, Flex, Form, Input, InputNumber, Radio, Select, Switch } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Item } from '../../shared/api-models';
import { parseYuan } from '../../shared/money';
import { FormProblemAlert } from '../common/form-problem-alert';
import { type FormProblem, usePlaceServerErrors } from '../common/form-server-errors';
import type { FieldPath } from '../common/server-field-errors';
import { useCreateItem, useItemCategories, useUpdateItem } from './catalog-queries';
import { ItemContentsField } from './item-contents-field';
import { emptyItemForm, formToItemInput, type ItemFormValues, itemToForm } from './item-form-values';
import { isCourseKind, useItemKindOptions } from './item-kinds';

const maxPriceFen = 100_000_000;
const unitSuggestions = ['次', '支', '瓶', '盒', '份', '颗', '张', 'ml', 'U'];

type ItemFormProps = {
  /** The item to edit; a new one is created without it. */
  item?: Item;
  onSaved: (item: Item) => void;
  onCancel: () => void;
};

export const ItemForm = ({ item, onSaved, onCancel }: ItemFormProps) => {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<ItemFormValues>();
  const [problem, setProblem] = useState<FormProblem | null>(null);
  const placeServerErrors = usePlaceServerErrors();
  const categories = useItemCategories();
  const kindOptions = useItemKindOptions();
  const create = useCreateItem();
  const update = useUpdateItem(item?.id ?? '');
  const kind = Form.useWatch('kind', form) ?? item?.kind ?? 'service';
  const contentsCount = Form.useWatch('contents', form)?.length ?? 0;

  const knownFields = (): FieldPath[] => [
    ['kind'],
    ['name'],
    ['categoryId'],
    ['shortCode'],
    ['price'],
    ['unit'],
    ['isActive'],
    ['validityDays'],
    ['contents'],
    ...Array.from({ length: contentsCount }, (_, index): FieldPath[] => [
      ['contents', index, 'itemId'],
      ['contents', index, 'sessions'],
    ]).flat(),
  ];

  const save = async (values: ItemFormValues) => {
    setProblem(null);
    const input = formToItemInput(values);
    try {
      if (item) {
        const { kind: _fixedKind, ...patch } = input;
        const saved = await update.mutateAsync(patch);
        void message.success(t('catalog.form.updated', { name: saved.name }));
        onSaved(saved);
      } else {
        const saved = await create.mutateAsync(input);
        void message.success(t('catalog.form.created', { name: saved.name }));
        onSaved(saved);
      }
    } catch (error) {
      setProblem(
        placeServerErrors(form, error, {
          knownFields: knownFields(),
          rename: { priceFen: ['price'] },
          conflictField: ['name'],
          failedTitle: t('catalog.form.saveFailed'),
        }),
      );
    }
  };

  return (
    <Form<ItemFormValues>
      form={form}
      name="item"
      layout="vertical"
      initialValues={item ? itemToForm(item) : emptyItemForm()}
      onFinish={(values) => void save(values)}
      scrollToFirstError
    >
      <FormProblemAlert problem={problem} />
      <Form.Item name="kind" label={t('catalog.fields.kind')} extra={item ? t('catalog.form.kindFixed') : undefined} rules={[{ required: true }]}>
        <Radio.Group optionType="button" options={kindOptions} disabled={Boolean(item)} />
      </Form.Item>
      <Form.Item
        name="name"
        label={t('catalog.fields.name')}
        rules={[
          { required: true, whitespace: true, message: t('catalog.validation.nameRequired') },
          { max: 60, message: t('catalog.validation.nameTooLong') },
        ]}
      >
        <Input autoComplete="off" />
      </Form.Item>
      <Form.Item name="categoryId" label={t('catalog.fields.category')}>
        <Select
          allowClear
          placeholder={t('catalog.form.noCategory')}
          loading={categories.isPending}
          options={(categories.data?.items ?? []).map((category) => ({ value: category.id, label: category.name }))}
        />
      </Form.Item>
      <Form.Item
        name="shortCode"
        label={t('catalog.fields.shortCode')}
        extra={t('catalog.form.shortCodeHelp')}
        normalize={(value: string) => value.toUpperCase()}
        rules={[{ pattern: /^[A-Za-z0-9]{0,20}$/, message: t('catalog.validation.shortCodeInvalid') }]}
      >
        <Input autoComplete="off" placeholder={t('catalog.form.shortCodePlaceholder')} />
      </Form.Item>
      <Flex gap="middle">
        <Form.Item
          name="price"
          label={t('catalog.fields.price')}
          style={{ flex: 1 }}
          extra={item ? t('catalog.form.priceChangeHelp') : undefined}
          rules={[
            { required: true, whitespace: true, message: t('catalog.validation.priceRequired') },
            {
              validator: async (_, value: string | undefined) => {
                if (!value || value.trim() === '') return;
                const fen = parseYuan(value);
                if (fen === undefined || fen < 0 || fen > maxPriceFen) throw new Error(t('catalog.validation.priceInvalid'));
              },
            },
          ]}
        >
          <Input prefix="¥" inputMode="decimal" autoComplete="off" placeholder="0.00" />
        </Form.Item>
        <Form.Item name="unit" label={t('catalog.fields.unit')} style={{ width: 140 }} rules={[{ max: 6, message: t('catalog.validation.unitTooLong') }]}>
          <AutoComplete
            placeholder={isCourseKind(kind) ? '份' : '次'}
            options={unitSuggestions.map((unit) => ({ value: unit }))}
            showSearch={{ filterOption: true }}
          />
        </Form.Item>
      </Flex>
      {isCourseKind(kind) && (
        <>
          <Form.Item name="validityDays" label={t('catalog.fields.validityDays')} extra={t('catalog.form.validityHelp')}>
            <InputNumber min={1} max={3650} precision={0} suffix={t('catalog.form.days')} placeholder={t('catalog.form.noExpiry')} style={{ width: 200 }} />
          </Form.Item>
          <ItemContentsField excludeId={item?.id} initialNames={(item?.contents ?? []).map((content) => ({ id: content.itemId, name: content.name }))} />
        </>
      )}
      <Form.Item name="isActive" label={t('catalog.fields.isActive')} valuePropName="checked" extra={t('catalog.form.isActiveHelp')}>
        <Switch />
      </Form.Item>
      <Flex gap="small" justify="flex-end">
        <Button onClick={onCancel}>{t('common.cancel')}</Button>
        <Button type="primary" htmlType="submit" loading={create.isPending || update.isPending}>
          {t('common.save')}
        </Button>
      </Flex>
    </Form>
  );
};
