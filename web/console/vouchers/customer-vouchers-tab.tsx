import { GiftOutlined } from '@ant-design/icons';
import { Alert, App, Button, Empty, Flex, Form, Input, InputNumber, Modal, Segmented, Select, Skeleton, Space, Table, Tag, Timeline, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { Customer } from '../../shared/api-models';
import { formatYuan } from '../../shared/money';
import { useCan } from '../auth/me-context';
import { useErrorMessage } from '../common/error-message';
import { useServerText } from '../common/server-text';
import { formatTenantTime, useTenantTimezone, useTenantToday } from '../common/tenant-time';
import { useIdempotencyKey } from '../common/use-idempotency-key';
import {
  type CustomerVoucher,
  useCustomerVouchers,
  useIssueVoucher,
  useVoidVoucher,
  useVoucherDetail,
  useVoucherTemplates,
  type VoucherEvent,
  type VoucherSource,
  type WalletStatus,
  walletStatuses,
} from './voucher-queries';
import { VoucherTitle } from './voucher-title';

const statusColors: Record<WalletStatus, string> = { available: 'green', used: 'blue', expired: 'default', voided: 'red' };
const voucherSources: readonly VoucherSource[] = ['registration', 'periodic', 'claim', 'share', 'operations', 'batch', 'manual', 'tier_gift', 'referral'];
const isVoucherSource = (value: unknown): value is VoucherSource => voucherSources.some((source) => source === value);

/** Status tags of a wallet voucher: its status, 即将过期, or the day it starts. */
export const VoucherStatusTags = ({ voucher, today }: { voucher: CustomerVoucher; today: string }) => {
  const { t } = useTranslation();
  return (
    <Flex gap={4} wrap>
      <Tag color={statusColors[voucher.status]} style={{ marginInlineEnd: 0 }}>
        {t(`vouchers.status.${voucher.status}`)}
      </Tag>
      {voucher.isExpiringSoon && (
        <Tag color="orange" style={{ marginInlineEnd: 0 }}>
          {t('vouchers.expiringSoon')}
        </Tag>
      )}
      {voucher.status === 'available' && voucher.validFrom > today && (
        <Tag color="gold" style={{ marginInlineEnd: 0 }}>
          {t('vouchers.notYetValid', { date: voucher.validFrom })}
        </Tag>
      )}
    </Flex>
  );
};

/** 赠券: one of the clinic's active templates, within its stock and her limit. Mounted per opening, so each opening is one request. */
const IssueVoucherModal = ({ customer, onClose }: { customer: Customer; onClose: () => void }) => {
  const { t } = useTranslation();
  const serverText = useServerText();
  const { message } = App.useApp();
  const errorMessage = useErrorMessage();
  const templates = useVoucherTemplates(false);
  const issue = useIssueVoucher(customer.id);
  const keyFor = useIdempotencyKey();
  const [form] = Form.useForm<{ templateId: string; quantity: number; note?: string }>();
  const [problem, setProblem] = useState<string | null>(null);
  const options = templates.data?.items ?? [];

  const submit = async (values: { templateId: string; quantity: number; note?: string }) => {
    setProblem(null);
    const input = { templateId: values.templateId, quantity: values.quantity, ...(values.note?.trim() ? { note: values.note.trim() } : {}) };
    try {
      const result = await issue.mutateAsync({ input, idempotencyKey: keyFor({ customerId: customer.id, input }) });
      const name = options.find((template) => template.id === values.templateId)?.name ?? '';
      void message.success(t('vouchers.wallet.issued', { count: result.items.length, name }));
      onClose();
    } catch (error) {
      setProblem(errorMessage(error));
    }
  };

  return (
    <Modal
      open
      title={t('vouchers.wallet.issueTitle', { name: customer.name })}
      okText={t('vouchers.wallet.issueSubmit')}
      okButtonProps={{ loading: issue.isPending }}
      onOk={() => form.submit()}
      onCancel={onClose}
      destroyOnHidden
      width={640}
    >
      <Form form={form} name="issue-voucher" layout="vertical" initialValues={{ quantity: 1 }} onFinish={(values) => void submit(values)}>
        {problem && <Alert type="error" showIcon role="alert" title={problem} style={{ marginBottom: 16 }} />}
        <Form.Item name="templateId" label={t('vouchers.wallet.template')} rules={[{ required: true, message: t('vouchers.wallet.templatePlaceholder') }]}>
          <Select
            showSearch={{ optionFilterProp: 'label' }}
            loading={templates.isPending}
            placeholder={t('vouchers.wallet.templatePlaceholder')}
            notFoundContent={t('vouchers.wallet.noTemplates')}
            options={options.map((template) => ({
              value: template.id,
              label: serverText.voucherTitle(template.title),
              disabled: template.stockLeft === 0,
              template,
            }))}
            optionRender={(option) => {
              const template = option.data.template;
              return (
                <Flex vertical>
                  <Typography.Text style={{ whiteSpace: 'normal' }}>
                    <VoucherTitle title={template.title} />
                  </Typography.Text>
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {template.stockLeft === null ? t('vouchers.wallet.templateUnlimited') : t('vouchers.wallet.templateStock', { count: template.stockLeft })}
                    {' · '}
                    {t('vouchers.wallet.templateLimit', { count: template.perCustomerLimit })}
                  </Typography.Text>
                </Flex>
              );
            }}
          />
        </Form.Item>
        <Form.Item name="quantity" label={t('vouchers.wallet.quantity')}>
          <InputNumber min={1} max={20} precision={0} />
        </Form.Item>
        <Form.Item name="note" label={t('vouchers.wallet.note')}>
          <Input maxLength={200} placeholder={t('vouchers.wallet.notePlaceholder')} />
        </Form.Item>
      </Form>
    </Modal>
  );
};

const VoidVoucherModal = ({ voucher, customerId, onClose }: { voucher: CustomerVoucher; customerId: string; onClose: () => void }) => {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const errorMessage = useErrorMessage();
  const voidVoucher = useVoidVoucher(customerId);
  const [reason, setReason] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const submit = async () => {
    if (!reason.trim()) return setProblem(t('vouchers.wallet.voidReasonRequired'));
    setProblem(null);
    try {
      await voidVoucher.mutateAsync({ id: voucher.id, reason: reason.trim() });
      void message.success(t('vouchers.wallet.voided', { title: voucher.snapshot.name }));
      onClose();
    } catch (error) {
      setProblem(errorMessage(error));
    }
  };
  return (
    <Modal
      open
      title={t('vouchers.wallet.voidTitle')}
      okText={t('vouchers.wallet.voidSubmit')}
      okButtonProps={{ danger: true, loading: voidVoucher.isPending }}
      onOk={() => void submit()}
      onCancel={onClose}
      destroyOnHidden
    >
      <Flex vertical gap={12}>
        <Typography.Text strong>
          <VoucherTitle title={voucher.snapshot.title} />
        </Typography.Text>
        <Typography.Text type="secondary">{t('vouchers.wallet.voidHelp')}</Typography.Text>
        <Input.TextArea
          aria-label={t('vouchers.wallet.voidReason')}
          placeholder={t('vouchers.wallet.voidReasonPlaceholder')}
          maxLength={200}
          autoSize={{ minRows: 2, maxRows: 4 }}
          value={reason}
          onChange={(event) => setReason(event.target.value)}
        />
        {problem && <Alert type="error" showIcon role="alert" title={problem} />}
      </Flex>
    </Modal>
  );
};

const reasonField = (reason: unknown, field: string): unknown =>
  typeof reason === 'object' && reason !== null && field in reason ? (reason as Record<string, unknown>)[field] : undefined;

/** One history event in words: what happened, when, on which order, why. */
const EventText = ({ event }: { event: VoucherEvent }) => {
  const { t } = useTranslation();
  const type = (['issue', 'use', 'restore', 'restore_refused', 'void'] as const).find((known) => known === event.type);
  const source = reasonField(event.reason, 'source');
  const cause = reasonField(event.reason, 'cause');
  const details = [
    type === 'issue' && isVoucherSource(source) ? t('vouchers.wallet.eventSource', { source: t(`vouchers.sources.${source}`) }) : '',
    type === 'use' && reasonField(event.reason, 'via') === 'code' ? t('vouchers.wallet.eventViaCode') : '',
    typeof reasonField(event.reason, 'note') === 'string' ? t('vouchers.wallet.eventNote', { note: String(reasonField(event.reason, 'note')) }) : '',
    type === 'restore' && (cause === 'void' || cause === 'refund') ? t(`vouchers.wallet.causes.${cause}`) : '',
    type === 'restore_refused' ? t('vouchers.wallet.eventExpired', { date: String(reasonField(event.reason, 'expiredOn') ?? '') }) : '',
    type === 'void' ? t('vouchers.wallet.eventReason', { reason: String(reasonField(event.reason, 'reason') ?? '') }) : '',
    event.amountFen !== null && type !== 'issue' ? t('vouchers.wallet.eventAmount', { amount: formatYuan(event.amountFen) }) : '',
  ].filter(Boolean);
  return (
    <Flex vertical>
      <Typography.Text strong>{type ? t(`vouchers.wallet.events.${type}`) : event.type}</Typography.Text>
      {details.length > 0 && <Typography.Text type="secondary">{details.join(' · ')}</Typography.Text>}
      {event.orderId && <Link to={`/orders/${event.orderId}`}>{t('vouchers.wallet.eventOrder')}</Link>}
    </Flex>
  );
};

/** 券的记录: issued, used, given back, voided — from GET /vouchers/:id. */
const VoucherHistoryModal = ({ voucherId, onClose }: { voucherId: string; onClose: () => void }) => {
  const { t } = useTranslation();
  const errorMessage = useErrorMessage();
  const timezone = useTenantTimezone();
  const detail = useVoucherDetail(voucherId);
  return (
    <Modal open title={t('vouchers.wallet.historyTitle')} footer={null} onCancel={onClose} destroyOnHidden width={600}>
      {detail.isPending ? (
        <Skeleton active />
      ) : detail.isError ? (
        <Alert type="error" showIcon title={errorMessage(detail.error)} />
      ) : (
        <Flex vertical gap={16}>
          <Flex vertical gap={4}>
            <Typography.Text strong>
              <VoucherTitle title={detail.data.voucher.snapshot.title} />
            </Typography.Text>
            <Typography.Text type="secondary" copyable={{ text: detail.data.voucher.code }} style={{ fontVariantNumeric: 'tabular-nums' }}>
              {t('vouchers.desk.code')} {detail.data.voucher.code}
            </Typography.Text>
          </Flex>
          {detail.data.events.length === 0 ? (
            <Empty description={t('vouchers.wallet.historyEmpty')} />
          ) : (
            <Timeline
              items={detail.data.events.map((event) => ({
                key: event.id,
                color: event.type === 'void' || event.type === 'restore_refused' ? 'red' : event.type === 'use' ? 'blue' : 'green',
                children: (
                  <Flex vertical>
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                      {formatTenantTime(event.createdAt, timezone, 'YYYY-MM-DD HH:mm')}
                    </Typography.Text>
                    <EventText event={event} />
                  </Flex>
                ),
              }))}
            />
          )}
        </Flex>
      )}
    </Modal>
  );
};

type Filter = 'all' | WalletStatus;

/** 券包 on the customer 360 page: her vouchers by status, 赠券, 作废 and each voucher's history. */
export const CustomerVouchersTab = ({ customer }: { customer: Customer }) => {
  const { t } = useTranslation();
  const errorMessage = useErrorMessage();
  const timezone = useTenantTimezone();
  const today = useTenantToday();
  const canIssue = useCan('vouchers.issue');
  const wallet = useCustomerVouchers(customer.id);
  const [filter, setFilter] = useState<Filter>('all');
  const [isIssuing, setIssuing] = useState(false);
  const [voiding, setVoiding] = useState<CustomerVoucher | null>(null);
  const [historyOf, setHistoryOf] = useState<string | null>(null);

  if (wallet.isPending) return <Skeleton active />;
  if (wallet.isError) return <Alert type="error" showIcon title={errorMessage(wallet.error)} />;
  const items = wallet.data.items;
  const countOf = (status: Filter) => (status === 'all' ? items.length : items.filter((voucher) => voucher.status === status).length);
  const shown = filter === 'all' ? items : items.filter((voucher) => voucher.status === filter);

  return (
    <Flex vertical gap="middle">
      <Flex justify="space-between" align="center" wrap gap="small">
        <Segmented<Filter>
          aria-label={t('vouchers.wallet.filterLabel')}
          value={filter}
          onChange={setFilter}
          options={(['all', ...walletStatuses] as const).map((value) => ({ value, label: t(`vouchers.wallet.filters.${value}`, { count: countOf(value) }) }))}
        />
        {canIssue && (
          <Button type="primary" icon={<GiftOutlined />} onClick={() => setIssuing(true)}>
            {t('vouchers.wallet.issue')}
          </Button>
        )}
      </Flex>
      <Table<CustomerVoucher>
        rowKey="id"
        dataSource={shown}
        pagination={shown.length > 20 ? { pageSize: 20 } : false}
        scroll={{ x: 1040 }}
        locale={{ emptyText: <Empty description={items.length === 0 ? t('vouchers.wallet.empty') : t('vouchers.wallet.emptyFiltered')} /> }}
        columns={[
          {
            key: 'title',
            title: t('vouchers.wallet.columns.title'),
            width: 300,
            render: (_, voucher) => (
              <Flex vertical gap={2}>
                <Typography.Text strong={voucher.status === 'available'} type={voucher.status === 'available' ? undefined : 'secondary'}>
                  <VoucherTitle title={voucher.snapshot.title} />
                </Typography.Text>
                {voucher.snapshot.description && (
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {voucher.snapshot.description}
                  </Typography.Text>
                )}
              </Flex>
            ),
          },
          {
            key: 'status',
            title: t('vouchers.wallet.columns.status'),
            width: 110,
            render: (_, voucher) => <VoucherStatusTags voucher={voucher} today={today} />,
          },
          {
            key: 'code',
            title: t('vouchers.wallet.columns.code'),
            width: 150,
            render: (_, voucher) => (
              <Typography.Text copyable style={{ fontVariantNumeric: 'tabular-nums', fontFamily: 'monospace', whiteSpace: 'nowrap' }}>
                {voucher.code}
              </Typography.Text>
            ),
          },
          {
            key: 'validity',
            title: t('vouchers.wallet.columns.validity'),
            width: 120,
            render: (_, voucher) => t('vouchers.wallet.validity', { from: voucher.validFrom, to: voucher.validTo }),
          },
          { key: 'source', title: t('vouchers.wallet.columns.source'), width: 90, render: (_, voucher) => t(`vouchers.sources.${voucher.source}`) },
          {
            key: 'used',
            title: t('vouchers.wallet.columns.used'),
            width: 170,
            render: (_, voucher) =>
              voucher.status === 'used' ? (
                <Flex vertical>
                  {voucher.usedAt && (
                    <Typography.Text>{t('vouchers.wallet.usedAt', { time: formatTenantTime(voucher.usedAt, timezone, 'YYYY-MM-DD HH:mm') })}</Typography.Text>
                  )}
                  {voucher.usedOrderId ? (
                    <Space size={8}>
                      {voucher.usedAmountFen !== null && (
                        <Typography.Text type="secondary">{t('vouchers.wallet.usedAmount', { amount: formatYuan(voucher.usedAmountFen) })}</Typography.Text>
                      )}
                      <Link to={`/orders/${voucher.usedOrderId}`}>{t('vouchers.wallet.usedOrder')}</Link>
                    </Space>
                  ) : (
                    <Typography.Text type="secondary">{t('vouchers.wallet.usedAtDesk')}</Typography.Text>
                  )}
                </Flex>
              ) : null,
          },
          {
            key: 'actions',
            title: t('vouchers.wallet.columns.actions'),
            width: 110,
            fixed: 'right',
            render: (_, voucher) => (
              <Space size={4}>
                <Button size="small" type="link" onClick={() => setHistoryOf(voucher.id)}>
                  {t('vouchers.wallet.history')}
                </Button>
                {canIssue && voucher.status === 'available' && (
                  <Button size="small" type="link" danger onClick={() => setVoiding(voucher)}>
                    {t('vouchers.wallet.void')}
                  </Button>
                )}
              </Space>
            ),
          },
        ]}
      />
      {isIssuing && <IssueVoucherModal customer={customer} onClose={() => setIssuing(false)} />}
      {voiding && <VoidVoucherModal voucher={voiding} customerId={customer.id} onClose={() => setVoiding(null)} />}
      {historyOf && <VoucherHistoryModal voucherId={historyOf} onClose={() => setHistoryOf(null)} />}
    </Flex>
  );
};
