import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { App, Button, Card, Flex, Form, Input, InputNumber, Modal, Select, Space, Switch, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { fenToYuanText, formatYuan, parseYuan } from '../../shared/money';
import { useCurrentMe } from '../auth/me-context';
import { hasPermission } from '../auth/permissions';
import { useItemCategories, useItems } from '../catalog/catalog-queries';
import { useErrorMessage } from '../common/error-message';
import {
  type CardProduct,
  type CardProductInput,
  type CardProductPatch,
  type StoredValueSettings,
  useCardProducts,
  useCreateCardProduct,
  useSaveStoredValueSettings,
  useStoredValueSettings,
  useToggleCardProduct,
  useUpdateCardProduct,
} from './cards-queries';

type Kind = CardProduct['kind'];
type BundledVoucher = CardProduct['bundledVouchers'][number];
/** One 卡内券 row of the form; amounts as typed (yuan). */
type VoucherRow = { name?: string; value?: string; quantity?: number; threshold?: string; categoryIds?: string[] };
type FormValues = {
  kind: Kind;
  name: string;
  price?: string;
  bonus?: string;
  validity?: 'annual' | 'lifetime';
  familyLimit?: number;
  discountCategoryId?: string | null;
  discountRate?: number | null;
  vouchers?: VoucherRow[];
  itemId?: string;
  terms?: string;
  description?: string;
};

/** What a card product holds, in one line the desk reads at a glance. */
export const useCardDetails = () => {
  const { t } = useTranslation();
  const categories = useItemCategories();
  const categoryName = (id: string | null) => (id ? (categories.data?.items.find((category) => category.id === id)?.name ?? '') : t('cards.allCategories'));
  const voucherText = (voucher: BundledVoucher) =>
    [
      `${voucher.name} ${formatYuan(voucher.faceValueFen)} × ${voucher.quantity}`,
      voucher.thresholdFen ? t('cards.voucherThreshold', { amount: formatYuan(voucher.thresholdFen) }) : '',
      voucher.categoryIds?.length ? t('cards.voucherScope', { categories: voucher.categoryIds.map(categoryName).join('、') }) : '',
    ]
      .filter(Boolean)
      .join(' ');
  return (product: Pick<CardProduct, 'kind' | 'validity' | 'familyLimit' | 'discountRules' | 'bonusFen' | 'contents' | 'bundledVouchers'>): string[] => {
    switch (product.kind) {
      case 'membership':
        return [
          product.validity ? t(`cards.validity.${product.validity}`) : '',
          t('cards.familyLimit', { count: product.familyLimit ?? 1 }),
          ...product.discountRules.map((rule) =>
            t('cards.discount', {
              category: categoryName(rule.categoryId),
              rate: (10_000 - rule.discountBasisPoints) / 1_000,
              percent: rule.discountBasisPoints / 100,
            }),
          ),
          ...(product.bundledVouchers.length > 0
            ? [
                t('cards.vouchers', {
                  list: product.bundledVouchers.map(voucherText).join('、'),
                }),
              ]
            : []),
        ].filter(Boolean);
      case 'stored_value':
        return product.bonusFen > 0 ? [t('cards.bonus', { amount: formatYuan(product.bonusFen) })] : [];
      case 'course':
        return product.contents.map((content) => t('cards.sessions', { name: content.name, count: content.sessions }));
    }
  };
};

/** A filled-in row as the API takes it; a row without a name or a value is left out. */
const toBundledVoucher = (row: VoucherRow): BundledVoucher[] => {
  const name = row.name?.trim();
  const faceValueFen = parseYuan(row.value);
  if (!name || !faceValueFen) return [];
  const thresholdFen = parseYuan(row.threshold) ?? 0;
  return [
    {
      name,
      faceValueFen,
      quantity: row.quantity ?? 1,
      ...(thresholdFen > 0 ? { thresholdFen } : {}),
      ...(row.categoryIds?.length ? { categoryIds: row.categoryIds } : {}),
    },
  ];
};

const toInput = (values: FormValues): CardProductInput => {
  const base = { kind: values.kind, name: values.name.trim(), terms: values.terms?.trim() || null, description: values.description?.trim() || null };
  switch (values.kind) {
    case 'membership':
      return {
        ...base,
        priceFen: parseYuan(values.price) ?? 0,
        validity: values.validity ?? 'annual',
        familyLimit: values.familyLimit ?? 8,
        discountRules: values.discountRate
          ? [{ categoryId: values.discountCategoryId ?? null, discountBasisPoints: Math.round(10_000 - values.discountRate * 1_000) }]
          : [],
        bundledVouchers: (values.vouchers ?? []).flatMap(toBundledVoucher),
      };
    case 'stored_value':
      return { ...base, priceFen: parseYuan(values.price) ?? 0, bonusFen: parseYuan(values.bonus) ?? 0 };
    case 'course':
      return { ...base, itemId: values.itemId };
  }
};

/** The form as an existing product fills it: its first discount rule, its vouchers, amounts in yuan. */
const toFormValues = (product: CardProduct): FormValues => {
  const [rule] = product.discountRules;
  return {
    kind: product.kind,
    name: product.name,
    price: fenToYuanText(product.priceFen),
    bonus: product.bonusFen > 0 ? fenToYuanText(product.bonusFen) : undefined,
    validity: product.validity ?? 'annual',
    familyLimit: product.familyLimit ?? 8,
    discountCategoryId: rule?.categoryId ?? null,
    discountRate: rule ? (10_000 - rule.discountBasisPoints) / 1_000 : null,
    vouchers: product.bundledVouchers.map((voucher) => ({
      name: voucher.name,
      value: fenToYuanText(voucher.faceValueFen),
      quantity: voucher.quantity,
      threshold: voucher.thresholdFen ? fenToYuanText(voucher.thresholdFen) : undefined,
      categoryIds: voucher.categoryIds,
    })),
    itemId: product.itemId,
    terms: product.terms ?? undefined,
    description: product.description ?? undefined,
  };
};

/**
 * The same form as a patch: kind and the sold item never change. The form shows one discount
 * rule; rules beyond the first (set through the API) are kept as they are.
 */
const toPatch = (values: FormValues, product: CardProduct): CardProductPatch => {
  const { kind: _kind, itemId: _itemId, ...input } = toInput({ ...values, kind: product.kind });
  if (product.kind !== 'membership' || !('discountRules' in input)) return input;
  return { ...input, discountRules: [...(input.discountRules ?? []), ...product.discountRules.slice(1)] };
};

const yuanRule = (message: string) => ({
  validator: (_: unknown, value: string | undefined) => (!value || parseYuan(value) !== undefined ? Promise.resolve() : Promise.reject(new Error(message))),
});

/** 卡内券: vouchers the owner and each family member may use, with a threshold and the categories they apply to. */
const VoucherRows = ({ categoryOptions }: { categoryOptions: { value: string; label: string }[] }) => {
  const { t } = useTranslation();
  return (
    <Form.List name="vouchers">
      {(fields, { add, remove }) => (
        <Flex vertical gap={8} style={{ marginBottom: 16 }}>
          <Flex vertical>
            <Typography.Text>{t('cards.form.vouchers')}</Typography.Text>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {t('cards.form.vouchersHelp')}
            </Typography.Text>
          </Flex>
          {fields.map((field, index) => {
            const number = index + 1;
            return (
              <Card key={field.key} size="small" role="group" aria-label={t('cards.form.voucherRow', { number })}>
                <Flex gap={8} wrap align="flex-start">
                  <Form.Item
                    name={[field.name, 'name']}
                    label={t('cards.form.voucherName')}
                    rules={[{ required: true, message: t('cards.form.required') }]}
                    style={{ marginBottom: 8 }}
                  >
                    <Input maxLength={40} style={{ width: 150 }} aria-label={t('cards.form.voucherNameOf', { number })} />
                  </Form.Item>
                  <Form.Item
                    name={[field.name, 'value']}
                    label={t('cards.form.voucherValue')}
                    rules={[{ required: true, message: t('cards.form.required') }, yuanRule(t('cards.form.invalidAmount'))]}
                    style={{ marginBottom: 8 }}
                  >
                    <Input inputMode="decimal" style={{ width: 100 }} aria-label={t('cards.form.voucherValueOf', { number })} />
                  </Form.Item>
                  <Form.Item name={[field.name, 'quantity']} label={t('cards.form.voucherQuantity')} style={{ marginBottom: 8 }}>
                    <InputNumber min={1} max={100} precision={0} style={{ width: 80 }} aria-label={t('cards.form.voucherQuantityOf', { number })} />
                  </Form.Item>
                  <Form.Item
                    name={[field.name, 'threshold']}
                    label={t('cards.form.voucherThreshold')}
                    rules={[yuanRule(t('cards.form.invalidAmount'))]}
                    style={{ marginBottom: 8 }}
                  >
                    <Input inputMode="decimal" style={{ width: 120 }} placeholder="0" aria-label={t('cards.form.voucherThresholdOf', { number })} />
                  </Form.Item>
                  <Form.Item name={[field.name, 'categoryIds']} label={t('cards.form.voucherCategories')} style={{ marginBottom: 8, flex: 1, minWidth: 180 }}>
                    <Select
                      mode="multiple"
                      allowClear
                      optionFilterProp="label"
                      placeholder={t('cards.allCategories')}
                      options={categoryOptions}
                      aria-label={t('cards.form.voucherCategoriesOf', { number })}
                    />
                  </Form.Item>
                  <Button
                    type="text"
                    danger
                    icon={<DeleteOutlined />}
                    aria-label={t('cards.form.removeVoucher', { number })}
                    onClick={() => remove(field.name)}
                    style={{ marginTop: 30 }}
                  />
                </Flex>
              </Card>
            );
          })}
          <Button type="dashed" icon={<PlusOutlined />} onClick={() => add({ quantity: 1 })}>
            {t('cards.form.addVoucher')}
          </Button>
        </Flex>
      )}
    </Form.List>
  );
};

/** 新建 or 编辑 a card product: one form; when editing, the kind and the course it sells are fixed. */
const CardProductModal = ({ product, onClose }: { product?: CardProduct; onClose: () => void }) => {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const errorMessage = useErrorMessage();
  const [form] = Form.useForm<FormValues>();
  const kind = Form.useWatch('kind', form) ?? product?.kind ?? 'membership';
  const create = useCreateCardProduct();
  const update = useUpdateCardProduct();
  const categories = useItemCategories();
  const courses = useItems({ page: 1, pageSize: 100 });
  const isEditing = product !== undefined;
  const submit = async (values: FormValues) => {
    try {
      if (product) {
        await update.mutateAsync({ id: product.id, patch: toPatch(values, product) });
        void message.success(t('cards.form.saved'));
      } else {
        await create.mutateAsync(toInput(values));
        void message.success(t('cards.form.created'));
      }
      onClose();
    } catch (error) {
      void message.error(errorMessage(error));
    }
  };
  const required = [{ required: true, message: t('cards.form.required') }];
  return (
    <Modal
      open
      title={product ? t('cards.editTitle', { name: product.name }) : t('cards.add')}
      okText={isEditing ? t('cards.form.save') : undefined}
      onCancel={onClose}
      onOk={() => form.submit()}
      confirmLoading={create.isPending || update.isPending}
      destroyOnHidden
      width={760}
    >
      <Form<FormValues>
        form={form}
        name="card-product"
        layout="vertical"
        initialValues={product ? toFormValues(product) : { kind: 'membership', validity: 'annual', familyLimit: 8 }}
        onFinish={(values) => void submit(values)}
      >
        <Form.Item name="kind" label={t('cards.form.kind')} extra={isEditing ? t('cards.form.kindFixed') : undefined}>
          <Select
            disabled={isEditing}
            options={(['membership', 'stored_value', 'course'] as const).map((value) => ({ value, label: t(`cards.kinds.${value}`) }))}
          />
        </Form.Item>
        <Form.Item name="name" label={t('cards.form.name')} rules={required}>
          <Input maxLength={60} />
        </Form.Item>
        {kind !== 'course' && (
          <Form.Item name="price" label={kind === 'stored_value' ? t('cards.form.topUpAmount') : t('cards.form.price')} rules={required}>
            <Input inputMode="decimal" />
          </Form.Item>
        )}
        {kind === 'stored_value' && (
          <Form.Item name="bonus" label={t('cards.form.bonus')}>
            <Input inputMode="decimal" />
          </Form.Item>
        )}
        {kind === 'membership' && (
          <>
            <Space wrap>
              <Form.Item name="validity" label={t('cards.form.validity')}>
                <Select style={{ width: 140 }} options={(['annual', 'lifetime'] as const).map((value) => ({ value, label: t(`cards.validity.${value}`) }))} />
              </Form.Item>
              <Form.Item name="familyLimit" label={t('cards.form.familyLimit')}>
                <InputNumber min={1} max={20} precision={0} />
              </Form.Item>
            </Space>
            <Space wrap>
              <Form.Item name="discountCategoryId" label={t('cards.form.discountCategory')}>
                <Select
                  allowClear
                  style={{ width: 180 }}
                  placeholder={t('cards.allCategories')}
                  options={(categories.data?.items ?? []).map((category) => ({ value: category.id, label: category.name }))}
                />
              </Form.Item>
              <Form.Item name="discountRate" label={t('cards.form.discountRate')}>
                <InputNumber min={0.1} max={9.9} step={0.5} />
              </Form.Item>
            </Space>
            <VoucherRows categoryOptions={(categories.data?.items ?? []).map((category) => ({ value: category.id, label: category.name }))} />
          </>
        )}
        {kind === 'course' && (
          <Form.Item name="itemId" label={t('cards.form.course')} rules={required}>
            <Select
              disabled={isEditing}
              showSearch
              optionFilterProp="label"
              options={(courses.data?.items ?? [])
                .filter((item) => item.kind === 'package' || item.kind === 'card')
                .map((item) => ({ value: item.id, label: item.name }))}
            />
          </Form.Item>
        )}
        <Form.Item name="terms" label={t('cards.form.terms')}>
          <Input.TextArea maxLength={2000} autoSize={{ minRows: 2, maxRows: 5 }} />
        </Form.Item>
        <Form.Item name="description" label={t('cards.form.description')}>
          <Input.TextArea maxLength={1000} autoSize={{ minRows: 1, maxRows: 4 }} />
        </Form.Item>
      </Form>
    </Modal>
  );
};

const StoredValueSettingsCard = ({ canManage }: { canManage: boolean }) => {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const errorMessage = useErrorMessage();
  const settings = useStoredValueSettings();
  const save = useSaveStoredValueSettings();
  if (!settings.data) return <Card title={t('cards.settings.title')} loading />;
  type Values = Omit<StoredValueSettings, 'maxPrincipalFen'> & { maxPrincipal?: string };
  const initial: Values = { ...settings.data, maxPrincipal: settings.data.maxPrincipalFen === null ? '' : String(settings.data.maxPrincipalFen / 100) };
  return (
    <Card title={t('cards.settings.title')}>
      <Form<Values>
        layout="vertical"
        name="stored-value-settings"
        initialValues={initial}
        disabled={!canManage}
        onFinish={async ({ maxPrincipal, ...values }) => {
          try {
            await save.mutateAsync({ ...values, maxPrincipalFen: maxPrincipal ? (parseYuan(maxPrincipal) ?? null) : null });
            void message.success(t('cards.settings.saved'));
          } catch (error) {
            void message.error(errorMessage(error));
          }
        }}
      >
        <Form.Item name="isSellingEnabled" label={t('cards.settings.selling')} valuePropName="checked" extra={t('cards.settings.sellingHelp')}>
          <Switch />
        </Form.Item>
        <Form.Item name="spendingPolicy" label={t('cards.settings.policy')}>
          <Select
            options={(['proportional', 'principal_first', 'bonus_first'] as const).map((value) => ({ value, label: t(`cards.settings.policies.${value}`) }))}
          />
        </Form.Item>
        <Form.Item name="maxPrincipal" label={t('cards.settings.maxPrincipal')}>
          <Input inputMode="decimal" style={{ width: 200 }} />
        </Form.Item>
        <Form.Item name="policyText" label={t('cards.settings.policyText')}>
          <Input.TextArea maxLength={2000} autoSize={{ minRows: 3, maxRows: 6 }} />
        </Form.Item>
        {canManage && (
          <Button type="primary" htmlType="submit" loading={save.isPending}>
            {t('cards.settings.save')}
          </Button>
        )}
      </Form>
    </Card>
  );
};

/** 卡项: every card the clinic sells, and the stored-value settings. */
export const CardProductsPage = () => {
  const { t } = useTranslation();
  const me = useCurrentMe();
  const canManage = hasPermission(me, 'cards.manage');
  const products = useCardProducts(true);
  const toggle = useToggleCardProduct();
  const details = useCardDetails();
  // 'new' for 新建卡项, a product for 编辑; the modal mounts afresh each time so the form starts from it.
  const [editing, setEditing] = useState<CardProduct | 'new' | null>(null);
  return (
    <Flex vertical gap={16}>
      <Flex justify="space-between" align="center">
        <div>
          <Typography.Title level={3} style={{ margin: 0 }}>
            {t('cards.title')}
          </Typography.Title>
          <Typography.Text type="secondary">{t('cards.intro')}</Typography.Text>
        </div>
        {canManage && (
          <Button type="primary" onClick={() => setEditing('new')}>
            {t('cards.add')}
          </Button>
        )}
      </Flex>
      <Table<CardProduct>
        rowKey="id"
        loading={products.isLoading}
        dataSource={products.data?.items ?? []}
        pagination={false}
        columns={[
          { title: t('cards.columns.name'), dataIndex: 'name' },
          { title: t('cards.columns.kind'), dataIndex: 'kind', render: (kind: Kind) => <Tag>{t(`cards.kinds.${kind}`)}</Tag> },
          { title: t('cards.columns.price'), dataIndex: 'priceFen', render: (fen: number) => formatYuan(fen) },
          { title: t('cards.columns.details'), key: 'details', render: (_, product) => details(product).join(t('common.clauseSeparator')) },
          {
            title: t('cards.columns.status'),
            dataIndex: 'isActive',
            render: (isActive: boolean) => <Tag color={isActive ? 'green' : 'default'}>{isActive ? t('cards.active') : t('cards.inactive')}</Tag>,
          },
          ...(canManage
            ? [
                {
                  title: t('cards.columns.actions'),
                  key: 'actions',
                  render: (_: unknown, product: CardProduct) => (
                    <Space size="small">
                      <Button size="small" onClick={() => setEditing(product)}>
                        {t('cards.edit')}
                      </Button>
                      <Button size="small" onClick={() => toggle.mutate({ id: product.id, isActive: !product.isActive })}>
                        {product.isActive ? t('cards.deactivate') : t('cards.activate')}
                      </Button>
                    </Space>
                  ),
                },
              ]
            : []),
        ]}
      />
      <StoredValueSettingsCard canManage={canManage} />
      {editing && (
        <CardProductModal key={editing === 'new' ? 'new' : editing.id} product={editing === 'new' ? undefined : editing} onClose={() => setEditing(null)} />
      )}
    </Flex>
  );
};
