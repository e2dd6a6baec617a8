import { Alert, App, Button, DatePicker, Drawer, Flex, Form, Input, InputNumber, Radio, Select, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useErrorMessage } from '../common/error-message';
import { tenantDateTimeIso, useTenantTimezone } from '../common/tenant-time';
import { useDebouncedValue } from '../common/use-debounced-value';
import { useIdempotencyKey } from '../common/use-idempotency-key';
import { useCustomerSearch } from '../customers/customer-queries';
import { AudienceFilterFields } from './audience-filter-fields';
import { audienceOf, type DistributionFormValues, hasAudience, initialFormValues, toDistributionInput } from './distribution-form-values';
import { type AudiencePreview, type DistributionCreated, distributionKinds, useAudiencePreview, useCreateDistribution } from './distribution-queries';
import { useDistributionText } from './distribution-text';
import { useVoucherTemplates } from './voucher-queries';

type CustomerOption = { value: string; label: string };

/** Several customers by the console's one-box search (name, pinyin initials, phone tail). */
const CustomersField = ({ value, onChange, id }: { value?: CustomerOption[]; onChange?: (next: CustomerOption[]) => void; id?: string }) => {
  const { t } = useTranslation();
  const [term, setTerm] = useState('');
  const search = useCustomerSearch(useDebouncedValue(term, 250));
  const options = (search.data?.items ?? []).map((customer) => ({ value: customer.id, label: `${customer.name}（${customer.phone}）` }));
  return (
    <Select<CustomerOption[], CustomerOption>
      id={id}
      mode="multiple"
      labelInValue
      value={value}
      onChange={(next) => {
        onChange?.(next);
        setTerm('');
      }}
      placeholder={t('voucherDistribution.form.customersPlaceholder')}
      showSearch={{ filterOption: false, onSearch: setTerm, searchValue: term }}
      loading={search.isFetching}
      notFoundContent={null}
      options={options}
    />
  );
};

/** 新建发券: kind, voucher, audience and time; claim links come back with their link and QR. */
export const DistributionFormDrawer = ({
  open,
  onClose,
  onCreated,
  initialValues,
}: {
  open: boolean;
  onClose: () => void;
  onCreated: (created: DistributionCreated) => void;
  /** e.g. 批量发券 from the customer list: the kind and the customers ticked there. */
  initialValues?: Partial<DistributionFormValues>;
}) => {
  const { t } = useTranslation();
  const { message, modal } = App.useApp();
  const errorMessage = useErrorMessage();
  const timezone = useTenantTimezone();
  const [form] = Form.useForm<DistributionFormValues>();
  const kind = Form.useWatch('kind', form) ?? initialValues?.kind ?? initialFormValues.kind;
  const audienceKind = Form.useWatch('audienceKind', form) ?? initialValues?.audienceKind ?? initialFormValues.audienceKind;
  const every = Form.useWatch('every', form) ?? initialFormValues.every;
  const when = Form.useWatch('when', form) ?? initialFormValues.when;
  const templates = useVoucherTemplates(false);
  const create = useCreateDistribution();
  const preview = useAudiencePreview();
  const [previewed, setPreviewed] = useState<AudiencePreview | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const keyFor = useIdempotencyKey();
  const { weekday } = useDistributionText();

  const close = () => {
    form.resetFields();
    setPreviewed(null);
    setProblem(null);
    preview.reset();
    onClose();
  };

  const countAudience = async () => {
    setPreviewed(null);
    try {
      setPreviewed(await preview.mutateAsync(audienceOf(form.getFieldsValue(true) as DistributionFormValues)));
    } catch (error) {
      setProblem(errorMessage(error));
    }
  };

  const submit = async (values: DistributionFormValues) => {
    setProblem(null);
    const scheduledAt = (values as unknown as { scheduledAtPicker?: Dayjs }).scheduledAtPicker;
    const input = toDistributionInput({
      ...values,
      scheduledAt: scheduledAt ? new Date(tenantDateTimeIso(scheduledAt.format('YYYY-MM-DD'), scheduledAt.format('HH:mm'), timezone)).toISOString() : undefined,
    });
    // Vouchers to many customers: say how many and to whom, and go on only when confirmed.
    if ('audience' in input && input.audience) {
      let count: number;
      try {
        count = (await preview.mutateAsync(input.audience)).customerCount;
      } catch (error) {
        setProblem(errorMessage(error));
        return;
      }
      const template = templates.data?.items.find((candidate) => candidate.id === input.templateId);
      const confirmed = await modal.confirm({
        title: t('voucherDistribution.form.confirmTitle', { count }),
        content: t(input.kind === 'batch' ? 'voucherDistribution.form.confirmNow' : 'voucherDistribution.form.confirmLater', {
          count,
          quantity: input.quantity ?? 1,
          template: template?.name ?? '',
        }),
        okText: t('voucherDistribution.form.confirmOk'),
        cancelText: t('common.cancel'),
        autoFocusButton: 'cancel',
      });
      if (!confirmed) return;
    }
    try {
      const created = await create.mutateAsync({ input, idempotencyKey: keyFor(input) });
      void message.success(created.job ? t('voucherDistribution.form.createdAndStarted') : t('voucherDistribution.form.created'));
      form.resetFields();
      setPreviewed(null);
      onCreated(created);
    } catch (error) {
      setProblem(errorMessage(error));
    }
  };

  const listed = (list: string[]) => list.slice(0, 20).join('、') + (list.length > 20 ? '…' : '');

  return (
    <Drawer
      open={open}
      onClose={close}
      title={t('voucherDistribution.form.title')}
      size={640}
      destroyOnHidden
      footer={
        <Flex justify="flex-end">
          <Button type="primary" loading={create.isPending} onClick={() => form.submit()}>
            {t('voucherDistribution.form.submit')}
          </Button>
        </Flex>
      }
    >
      <Form<DistributionFormValues> form={form} layout="vertical" initialValues={{ ...initialFormValues, ...initialValues }} onFinish={submit}>
        {problem && <Alert type="error" showIcon title={problem} style={{ marginBottom: 16 }} />}
        <Form.Item name="kind" label={t('voucherDistribution.form.kind')} extra={t(`voucherDistribution.kindHelp.${kind}`)}>
          <Radio.Group optionType="button" options={distributionKinds.map((value) => ({ value, label: t(`voucherDistribution.kinds.${value}`) }))} />
        </Form.Item>
        <Form.Item
          name="name"
          label={t('voucherDistribution.form.name')}
          rules={[{ required: true, whitespace: true, message: t('voucherDistribution.form.required') }]}
        >
          <Input maxLength={40} placeholder={t('voucherDistribution.form.namePlaceholder')} />
        </Form.Item>
        <Form.Item
          name="templateId"
          label={t('voucherDistribution.form.template')}
          extra={t('voucherDistribution.form.templateHelp')}
          rules={[{ required: true, message: t('voucherDistribution.form.templatePlaceholder') }]}
        >
          <Select
            placeholder={t('voucherDistribution.form.templatePlaceholder')}
            loading={templates.isPending}
            showSearch={{ optionFilterProp: 'label' }}
            options={(templates.data?.items ?? []).map((template) => ({
              value: template.id,
              label: t('voucherDistribution.form.templateOption', {
                name: template.name,
                stock: template.stockLeft === null ? t('voucherDistribution.link.unlimited') : template.stockLeft,
              }),
              title: template.title,
            }))}
          />
        </Form.Item>
        <Form.Item name="quantity" label={t('voucherDistribution.form.quantity')}>
          <InputNumber min={1} max={10} precision={0} />
        </Form.Item>

        {kind === 'periodic' && (
          <Flex gap="middle" wrap>
            <Form.Item name="every" label={t('voucherDistribution.form.schedule')}>
              <Radio.Group options={(['month', 'week'] as const).map((value) => ({ value, label: t(`voucherDistribution.form.every.${value}`) }))} />
            </Form.Item>
            {every === 'month' ? (
              <Form.Item name="day" label={t('voucherDistribution.form.day')} extra={t('voucherDistribution.form.dayHelp')}>
                <Select
                  style={{ width: 120 }}
                  options={Array.from({ length: 31 }, (_, index) => ({ value: index + 1, label: t('voucherDistribution.form.dayOption', { day: index + 1 }) }))}
                />
              </Form.Item>
            ) : (
              <Form.Item name="weekday" label={t('voucherDistribution.form.weekday')}>
                <Select
                  style={{ width: 140 }}
                  options={Array.from({ length: 7 }, (_, index) => ({
                    value: index + 1,
                    label: t('voucherDistribution.form.weekdayOption', { weekday: weekday(index + 1) }),
                  }))}
                />
              </Form.Item>
            )}
          </Flex>
        )}

        {kind === 'operations' && (
          <Flex gap="middle" wrap align="flex-start">
            <Form.Item name="when" label={t('voucherDistribution.form.when')}>
              <Radio.Group
                options={[
                  { value: 'now', label: t('voucherDistribution.form.whenNow') },
                  { value: 'later', label: t('voucherDistribution.form.whenLater') },
                ]}
              />
            </Form.Item>
            {when === 'later' && (
              <Form.Item
                name="scheduledAtPicker"
                label={t('voucherDistribution.form.scheduledAt')}
                rules={[{ required: true, message: t('voucherDistribution.form.scheduledAtRequired') }]}
              >
                <DatePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" disabledDate={(date) => date.isBefore(dayjs().startOf('day'))} />
              </Form.Item>
            )}
          </Flex>
        )}

        {hasAudience(kind) && (
          <>
            <Form.Item name="audienceKind" label={t('voucherDistribution.form.audience')}>
              <Radio.Group
                optionType="button"
                onChange={() => setPreviewed(null)}
                options={(['customers', 'phones', 'filter'] as const).map((value) => ({ value, label: t(`voucherDistribution.form.audienceKinds.${value}`) }))}
              />
            </Form.Item>
            {audienceKind === 'customers' && (
              <Form.Item
                name="customers"
                label={t('voucherDistribution.form.customers')}
                rules={[{ required: true, type: 'array', min: 1, message: t('voucherDistribution.form.customersRequired') }]}
              >
                <CustomersField />
              </Form.Item>
            )}
            {audienceKind === 'phones' && (
              <Form.Item
                name="phones"
                label={t('voucherDistribution.form.phones')}
                rules={[{ required: true, whitespace: true, message: t('voucherDistribution.form.phonesRequired') }]}
              >
                <Input.TextArea rows={6} placeholder={t('voucherDistribution.form.phonesPlaceholder')} onChange={() => setPreviewed(null)} />
              </Form.Item>
            )}
            {audienceKind === 'filter' && <AudienceFilterFields />}
            <Flex vertical gap="small">
              <Button onClick={countAudience} loading={preview.isPending} style={{ alignSelf: 'flex-start' }}>
                {t('voucherDistribution.form.preview')}
              </Button>
              {previewed && (
                <Alert
                  type={previewed.unknownPhones.length + previewed.invalidPhones.length > 0 ? 'warning' : 'info'}
                  showIcon
                  title={t('voucherDistribution.form.previewResult', { count: previewed.customerCount })}
                  description={
                    previewed.unknownPhones.length + previewed.invalidPhones.length > 0 ? (
                      <Flex vertical>
                        {previewed.unknownPhones.length > 0 && (
                          <Typography.Text>
                            {t('voucherDistribution.form.unknownPhones', { count: previewed.unknownPhones.length, list: listed(previewed.unknownPhones) })}
                          </Typography.Text>
                        )}
                        {previewed.invalidPhones.length > 0 && (
                          <Typography.Text>
                            {t('voucherDistribution.form.invalidPhones', { count: previewed.invalidPhones.length, list: listed(previewed.invalidPhones) })}
                          </Typography.Text>
                        )}
                      </Flex>
                    ) : undefined
                  }
                />
              )}
            </Flex>
          </>
        )}
      </Form>
    </Drawer>
  );
};
