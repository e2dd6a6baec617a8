import {
  Alert,
  App,
  Button,
  Card,
  Checkbox,
  DatePicker,
  Divider,
  Drawer,
  Flex,
  Form,
  Input,
  InputNumber,
  Radio,
  Select,
  Skeleton,
  Space,
  Switch,
  Typography,
} from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { parseYuan } from '../../shared/money';
import { useItemCategories } from '../catalog/catalog-queries';
import { ItemSearchSelect } from '../catalog/item-search-select';
import { FormProblemAlert } from '../common/form-problem-alert';
import { type FormProblem, usePlaceServerErrors } from '../common/form-server-errors';
import {
  emptyTemplateValues,
  knownFields,
  previewTitleOf,
  renamedFields,
  type TemplateFormValues,
  templateToValues,
  valuesToInput,
} from './template-form-values';
import { useIsSavingTemplate, useItemNames, useSaveVoucherTemplate, type VoucherTemplate, voucherChannels, voucherKinds } from './voucher-queries';
import { VoucherTitle } from './voucher-title';

/** The form's known fields that a change touched, so the server's message on them can go. */
const changedFieldsOf = (changed: object): (string | number)[][] =>
  knownFields
    .filter((field) => {
      let value: unknown = changed;
      for (const part of field) {
        if (typeof value !== 'object' || value === null || !(part in value)) return false;
        value = (value as Record<string, unknown>)[part];
      }
      return true;
    })
    .map((field) => [...field]);

/** A business date (YYYY-MM-DD) in the form, a Dayjs in the picker. */
const dateFieldProps = {
  getValueProps: (value: string | undefined) => ({ value: value ? dayjs(value) : undefined }),
  normalize: (value: Dayjs | null) => (value ? value.format('YYYY-MM-DD') : undefined),
};

/** A gift voucher names one item: one pick in the form, a list of one for the API. */
const singleItemProps = {
  getValueProps: (value: string[] | undefined) => ({ value: value?.[0] }),
  normalize: (value: string | undefined) => (value ? [value] : []),
};

const PreviewCard = ({ values }: { values: Partial<TemplateFormValues> | undefined }) => {
  const { t } = useTranslation();
  const categories = useItemCategories();
  const itemNames = useItemNames(values?.scope?.itemIds ?? []);
  const categoryNames = new Map((categories.data?.items ?? []).map((category) => [category.id, category.name]));
  const title = previewTitleOf(values, { items: itemNames.names, categories: categoryNames });
  return (
    <Card
      size="small"
      role="region"
      aria-label={t('vouchers.form.preview')}
      // Stays in view while the fields below are filled in.
      style={{ position: 'sticky', top: 0, zIndex: 2, marginBottom: 16, background: '#fff7f0', borderColor: '#ffd8bf' }}
    >
      <Flex vertical gap={4}>
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {t('vouchers.form.preview')}
        </Typography.Text>
        {title ? (
          <Typography.Text strong data-testid="voucher-title-preview" style={{ fontSize: 16 }}>
            <VoucherTitle title={title} />
          </Typography.Text>
        ) : (
          <Typography.Text type="secondary">{t('vouchers.form.previewEmpty')}</Typography.Text>
        )}
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {t('vouchers.form.previewHelp')}
        </Typography.Text>
      </Flex>
    </Card>
  );
};

type TemplateFormProps = { template: VoucherTemplate | null; itemNames: ReadonlyMap<string, string>; onSaved: () => void };

const TemplateForm = ({ template, itemNames, onSaved }: TemplateFormProps) => {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<TemplateFormValues>();
  const [problem, setProblem] = useState<FormProblem | null>(null);
  const placeServerErrors = usePlaceServerErrors();
  const save = useSaveVoucherTemplate();
  const categories = useItemCategories();
  const values = Form.useWatch((all: TemplateFormValues) => all, { form, preserve: true });
  const kind = values?.kind ?? template?.kind ?? 'cash_off';
  const validityKind = values?.validity?.kind ?? template?.validity.kind ?? 'relative';
  const isKindLocked = (template?.issuedCount ?? 0) > 0;
  const initialOptions = [...itemNames].map(([id, name]) => ({ id, name }));
  const required = (field: string) => ({ required: true, message: t('vouchers.form.required', { field }) });
  const yuanRule = {
    validator: (_: unknown, value: string | undefined) =>
      !value || parseYuan(value) !== undefined ? Promise.resolve() : Promise.reject(new Error(t('vouchers.form.invalidAmount'))),
  };

  const submit = async (submitted: TemplateFormValues) => {
    setProblem(null);
    try {
      const saved = await save.mutateAsync({ id: template?.id ?? null, input: valuesToInput(submitted) });
      void message.success(template ? t('vouchers.form.saved', { name: saved.name }) : t('vouchers.form.created', { name: saved.name }));
      onSaved();
    } catch (error) {
      setProblem(
        placeServerErrors(form, error, {
          knownFields,
          rename: renamedFields,
          conflictField: ['name'],
          failedTitle: t('vouchers.form.failed'),
        }),
      );
    }
  };

  return (
    <Form<TemplateFormValues>
      form={form}
      name="voucher-template"
      layout="vertical"
      initialValues={template ? templateToValues(template) : emptyTemplateValues}
      onFinish={(submitted) => void submit(submitted)}
      onFinishFailed={() => setProblem(null)}
      // A server message on a field (「卡项不能用券」) goes once the field is changed.
      onValuesChange={(changed: Partial<TemplateFormValues>) =>
        form.setFields(changedFieldsOf(changed).map((name) => ({ name, errors: [] })) as unknown as Parameters<typeof form.setFields>[0])
      }
    >
      <PreviewCard values={values} />
      <FormProblemAlert problem={problem} />
      {template && template.issuedCount > 0 && (
        <Alert type="info" showIcon title={t('vouchers.form.editNote', { count: template.issuedCount })} style={{ marginBottom: 16 }} />
      )}

      <Divider titlePlacement="start" style={{ marginTop: 0 }}>
        {t('vouchers.form.sections.face')}
      </Divider>
      <Form.Item
        name="name"
        label={t('vouchers.form.name')}
        extra={t('vouchers.form.nameHelp')}
        rules={[{ ...required(t('vouchers.form.name')), whitespace: true }]}
      >
        <Input maxLength={30} placeholder={t('vouchers.form.namePlaceholder')} />
      </Form.Item>
      <Form.Item name="kind" label={t('vouchers.form.kind')} extra={isKindLocked ? t('vouchers.form.kindLocked') : t(`vouchers.kindHelp.${kind}`)}>
        <Radio.Group
          disabled={isKindLocked}
          optionType="button"
          buttonStyle="solid"
          options={voucherKinds.map((value) => ({ value, label: t(`vouchers.kinds.${value}`) }))}
        />
      </Form.Item>
      {kind === 'cash_off' && (
        <Space wrap align="start">
          <Form.Item name="faceValue" label={t('vouchers.form.faceValue')} rules={[required(t('vouchers.form.faceValue')), yuanRule]}>
            <Input inputMode="decimal" prefix="¥" style={{ width: 160 }} />
          </Form.Item>
          <Form.Item name="threshold" label={t('vouchers.form.threshold')} rules={[yuanRule]}>
            <Input inputMode="decimal" prefix="¥" placeholder="0" style={{ width: 200 }} />
          </Form.Item>
        </Space>
      )}
      {kind === 'discount' && (
        <Space wrap align="start">
          <Form.Item
            name="zhe"
            label={t('vouchers.form.zhe')}
            rules={[required(t('vouchers.form.zhe')), { type: 'number', min: 0.1, max: 9.9, message: t('vouchers.form.zheRange') }]}
          >
            <InputNumber min={0.1} max={9.9} step={0.5} precision={2} suffix="折" style={{ width: 160 }} />
          </Form.Item>
          <Form.Item name="maxOff" label={t('vouchers.form.maxOff')} rules={[yuanRule]}>
            <Input inputMode="decimal" prefix="¥" style={{ width: 200 }} />
          </Form.Item>
        </Space>
      )}
      {kind === 'item' && (
        <Form.Item name="faceValue" label={t('vouchers.form.itemFaceValue')} rules={[yuanRule]}>
          <Input inputMode="decimal" prefix="¥" style={{ width: 200 }} />
        </Form.Item>
      )}

      <Divider titlePlacement="start">{t('vouchers.form.sections.scope')}</Divider>
      {(kind === 'cash_off' || kind === 'discount') && (
        <>
          <Form.Item name={['scope', 'itemIds']} label={t('vouchers.form.items')} extra={t('vouchers.form.itemsHelp')}>
            <ItemSearchSelect mode="multiple" placeholder={t('vouchers.form.itemsPlaceholder')} initialOptions={initialOptions} />
          </Form.Item>
          <Form.Item name={['scope', 'categoryIds']} label={t('vouchers.form.categories')}>
            <Select
              mode="multiple"
              allowClear
              optionFilterProp="label"
              placeholder={t('vouchers.form.categoriesPlaceholder')}
              options={(categories.data?.items ?? []).map((category) => ({ value: category.id, label: category.name }))}
            />
          </Form.Item>
        </>
      )}
      {kind === 'item' && (
        <Form.Item
          name={['scope', 'itemIds']}
          label={t('vouchers.form.itemItems')}
          rules={[{ required: true, type: 'array', min: 1, message: t('vouchers.form.itemsRequired') }]}
        >
          <ItemSearchSelect mode="multiple" placeholder={t('vouchers.form.itemsPlaceholder')} initialOptions={initialOptions} />
        </Form.Item>
      )}
      {kind === 'gift' && (
        <Form.Item
          name={['scope', 'itemIds']}
          label={t('vouchers.form.giftItem')}
          rules={[{ required: true, type: 'array', min: 1, message: t('vouchers.form.giftRequired') }]}
          {...singleItemProps}
        >
          <ItemSearchSelect placeholder={t('vouchers.form.itemsPlaceholder')} initialOptions={initialOptions} />
        </Form.Item>
      )}

      <Divider titlePlacement="start">{t('vouchers.form.sections.validity')}</Divider>
      <Form.Item name={['validity', 'kind']} label={t('vouchers.form.validityKind')}>
        <Radio.Group options={(['relative', 'fixed'] as const).map((value) => ({ value, label: t(`vouchers.form.validityKinds.${value}`) }))} />
      </Form.Item>
      {validityKind === 'relative' ? (
        <Form.Item name={['validity', 'days']} label={t('vouchers.form.validDays')} rules={[required(t('vouchers.form.validDays'))]}>
          <InputNumber min={1} max={3650} precision={0} suffix="天" style={{ width: 160 }} />
        </Form.Item>
      ) : (
        <Space wrap align="start">
          <Form.Item name={['validity', 'from']} label={t('vouchers.form.validFrom')} rules={[required(t('vouchers.form.validFrom'))]} {...dateFieldProps}>
            <DatePicker allowClear={false} />
          </Form.Item>
          <Form.Item
            name={['validity', 'to']}
            label={t('vouchers.form.validTo')}
            dependencies={[['validity', 'from']]}
            rules={[
              required(t('vouchers.form.validTo')),
              ({ getFieldValue }) => ({
                validator: (_, value: string | undefined) => {
                  const from = getFieldValue(['validity', 'from']) as string | undefined;
                  return !value || !from || value >= from ? Promise.resolve() : Promise.reject(new Error(t('vouchers.form.toBeforeFrom')));
                },
              }),
            ]}
            {...dateFieldProps}
          >
            <DatePicker allowClear={false} />
          </Form.Item>
        </Space>
      )}

      <Divider titlePlacement="start">{t('vouchers.form.sections.rules')}</Divider>
      <Space wrap align="start">
        <Form.Item name="totalStock" label={t('vouchers.form.totalStock')}>
          <InputNumber min={1} max={10_000_000} precision={0} style={{ width: 200 }} />
        </Form.Item>
        <Form.Item name="perCustomerLimit" label={t('vouchers.form.perCustomerLimit')} rules={[required(t('vouchers.form.perCustomerLimit'))]}>
          <InputNumber min={1} max={100} precision={0} style={{ width: 140 }} />
        </Form.Item>
      </Space>
      <Form.Item
        name="channels"
        label={t('vouchers.form.channels')}
        rules={[{ required: true, type: 'array', min: 1, message: t('vouchers.form.channelsRequired') }]}
      >
        <Checkbox.Group options={voucherChannels.map((value) => ({ value, label: t(`vouchers.channels.${value}`) }))} />
      </Form.Item>
      <Form.Item name="isStackable" label={t('vouchers.form.isStackable')} extra={t('vouchers.form.isStackableHelp')} valuePropName="checked">
        <Switch />
      </Form.Item>
      <Form.Item name="description" label={t('vouchers.form.description')}>
        <Input.TextArea maxLength={500} showCount autoSize={{ minRows: 2, maxRows: 5 }} placeholder={t('vouchers.form.descriptionPlaceholder')} />
      </Form.Item>
    </Form>
  );
};

/** 新建 / 编辑券模板, with the title customers will see previewed live as the form is filled in. */
export const TemplateFormDrawer = ({ template, open, onClose }: { template: VoucherTemplate | null; open: boolean; onClose: () => void }) => {
  const { t } = useTranslation();
  const isSaving = useIsSavingTemplate();
  // An existing template's items by name, before its pickers first show them.
  const names = useItemNames(template?.scope.itemIds ?? []);
  // The form's element id (antd names the <form> after the Form's `name`), so the header's button submits it.
  const formId = 'voucher-template';
  return (
    <Drawer
      open={open}
      onClose={onClose}
      size={680}
      destroyOnHidden
      title={template ? t('vouchers.form.editTitle', { name: template.name }) : t('vouchers.form.createTitle')}
      extra={
        <Space>
          <Button onClick={onClose}>{t('vouchers.form.cancel')}</Button>
          <Button type="primary" htmlType="submit" form={formId} loading={isSaving}>
            {t('vouchers.form.submit')}
          </Button>
        </Space>
      }
    >
      {template && names.isLoading ? (
        <Skeleton active paragraph={{ rows: 8 }} />
      ) : (
        <TemplateForm key={template?.id ?? 'new'} template={template} itemNames={names.names} onSaved={onClose} />
      )}
    </Drawer>
  );
};
