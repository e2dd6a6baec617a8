import { ArrowLeftOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Descriptions, Flex, Result, Skeleton, Statistic, Table, Tag, Typography, theme } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { ApiError } from '../../shared/api';
import type { Order, OrderLine, OrderPayment } from '../../shared/api-models';
import { formatYuan } from '../../shared/money';
import { useCan } from '../auth/me-context';
import { PermittedButton } from '../auth/needs-role';
import { CheckoutResult } from '../checkout/checkout-result';
import { AllergyAlert } from '../common/allergy-alert';
import { useErrorMessage } from '../common/error-message';
import { useServerText } from '../common/server-text';
import { formatTenantTime, useTenantTimezone } from '../common/tenant-time';
import { useIdempotencyKey } from '../common/use-idempotency-key';
import { usePaymentMethodLabel } from '../payments/payment-methods';
import { ReversalDialog } from '../payments/reversal-dialog';
import { useReversalReasonLabel } from '../payments/reversal-reasons';
import { CheckoutOrderDialog } from './checkout-order-dialog';
import { useOrder, useReversePayment } from './order-queries';
import { DealTag, OrderStatusTag, useVisitTypeLabel } from './order-tags';
import { PayArrearsDialog } from './pay-arrears-dialog';
import { ReceiptButton } from './receipt-button';
import { RefundDialog } from './refund-dialog';
import { isCourseLine } from './refund-math';
import { VoidOrderDialog } from './void-order-dialog';

type Dialog = 'checkout' | 'payArrears' | 'refund' | 'void';

const money = (fen: number) => <span style={{ fontVariantNumeric: 'tabular-nums' }}>{formatYuan(fen)}</span>;

const LinesTable = ({ order }: { order: Order }) => {
  const { t } = useTranslation();
  const columns: ColumnsType<OrderLine> = [
    {
      key: 'name',
      title: t('orders.lines.name'),
      render: (_, line) => (
        <Flex gap={6} align="center" wrap>
          <span>{line.name}</span>
          <Tag>{t(`orders.kind.${line.kind}`)}</Tag>
        </Flex>
      ),
    },
    { key: 'unitPrice', title: t('orders.lines.unitPrice'), width: 110, align: 'right', render: (_, line) => money(line.unitPriceFen) },
    { key: 'quantity', title: t('orders.lines.quantity'), width: 70, align: 'right', render: (_, line) => line.quantity },
    {
      key: 'discount',
      title: t('orders.lines.discount'),
      width: 100,
      align: 'right',
      render: (_, line) => (line.discountFen ? money(-line.discountFen) : t('common.empty')),
    },
    { key: 'amount', title: t('orders.lines.amount'), width: 110, align: 'right', render: (_, line) => <strong>{money(line.amountFen)}</strong> },
    {
      key: 'refunded',
      title: t('orders.lines.refunded'),
      width: 150,
      render: (_, line) => {
        if (line.refundedFen === 0 && line.refundedQuantity === 0) return t('common.empty');
        return isCourseLine(line)
          ? t('orders.lines.refundedCourse', { amount: formatYuan(line.refundedFen) })
          : t('orders.lines.refundedValue', { quantity: line.refundedQuantity, amount: formatYuan(line.refundedFen) });
      },
    },
    {
      key: 'attribution',
      title: t('orders.lines.attribution'),
      width: 280,
      render: (_, line) =>
        line.attribution.length === 0 ? (
          <Typography.Text type="secondary">{t('orders.lines.noAttribution')}</Typography.Text>
        ) : (
          <Flex vertical gap={2}>
            {line.attribution.map((share) => (
              <span key={`${share.staffId}:${share.role}`}>
                {t('orders.lines.share', {
                  name: share.staffName ?? t('common.empty'),
                  role: t(`payments.attribution.roles.${share.role}`),
                  ratio: share.ratioPercent,
                  amount: formatYuan(share.amountFen),
                })}
              </span>
            ))}
          </Flex>
        ),
    },
  ];
  return <Table<OrderLine> rowKey="id" size="small" columns={columns} dataSource={order.lines} pagination={false} scroll={{ x: 900 }} />;
};

const PaymentsTable = ({ order, onReverse }: { order: Order; onReverse?: (payment: OrderPayment) => void }) => {
  const { t } = useTranslation();
  const timezone = useTenantTimezone();
  const methodLabel = usePaymentMethodLabel();
  const reasonLabel = useReversalReasonLabel();
  const columns: ColumnsType<OrderPayment> = [
    { key: 'time', title: t('orders.payments.time'), width: 150, render: (_, payment) => formatTenantTime(payment.createdAt, timezone, 'YYYY-MM-DD HH:mm') },
    { key: 'kind', title: t('orders.payments.kind'), width: 100, render: (_, payment) => t(`orders.payments.kinds.${payment.kind}`) },
    { key: 'method', title: t('orders.payments.method'), width: 100, render: (_, payment) => methodLabel(payment.method) },
    {
      key: 'amount',
      title: t('orders.payments.amount'),
      width: 120,
      align: 'right',
      render: (_, payment) => (
        <Typography.Text type={payment.amountFen < 0 ? 'danger' : undefined} delete={payment.isReversed}>
          {money(payment.amountFen)}
        </Typography.Text>
      ),
    },
    { key: 'cashier', title: t('orders.payments.cashier'), width: 100, render: (_, payment) => payment.cashierName ?? t('common.empty') },
    {
      key: 'reason',
      title: t('orders.payments.reason'),
      render: (_, payment) => [payment.reasonCode ? reasonLabel(payment.reasonCode) : null, payment.note].filter(Boolean).join(' · ') || t('common.empty'),
    },
    {
      key: 'state',
      title: t('orders.payments.state'),
      width: 110,
      render: (_, payment) => {
        if (payment.isReversed) return <Tag>{t('orders.payments.reversed')}</Tag>;
        if (payment.kind === 'payment' && onReverse) {
          return (
            <Button
              size="small"
              danger
              onClick={() => onReverse(payment)}
              aria-label={`${t('orders.payments.reverse')} ${methodLabel(payment.method)} ${formatYuan(payment.amountFen)}`}
            >
              {t('orders.payments.reverse')}
            </Button>
          );
        }
        return null;
      },
    },
  ];
  return (
    <Table<OrderPayment>
      rowKey="id"
      size="small"
      columns={columns}
      dataSource={order.payments}
      pagination={false}
      locale={{ emptyText: t('orders.payments.empty') }}
      scroll={{ x: 800 }}
    />
  );
};

/** One order: lines with 业绩, payments with 撤销, 补缴欠费, 退款, 打印小票 (SPEC §4). */
export const OrderDetailPage = () => {
  const { id = '' } = useParams();
  const { t } = useTranslation();
  const { dealReason } = useServerText();
  const { message } = App.useApp();
  const errorMessage = useErrorMessage();
  const timezone = useTenantTimezone();
  const visitTypeLabel = useVisitTypeLabel();
  const methodLabel = usePaymentMethodLabel();
  const canCheckout = useCan('orders.checkout');
  const canReverse = useCan('orders.reverse');
  const order = useOrder(id);
  const reversePayment = useReversePayment();
  const idempotencyKeyFor = useIdempotencyKey();
  const [dialog, setDialog] = useState<Dialog | null>(null);
  const [reversing, setReversing] = useState<OrderPayment | null>(null);
  const [checkedOut, setCheckedOut] = useState<Order | null>(null);
  const { token } = theme.useToken();

  if (order.isPending) return <Skeleton active />;
  if (order.isError) {
    if (order.error instanceof ApiError && order.error.status === 404) {
      return <Result status="404" title={errorMessage(order.error)} extra={<Link to="/orders">{t('orders.back')}</Link>} />;
    }
    return <Alert type="error" showIcon title={errorMessage(order.error)} />;
  }
  const view = order.data;
  const isOpen = view.status === 'open';
  const isPlaced = view.status === 'placed';

  return (
    <Flex vertical gap="middle">
      <Flex justify="space-between" align="center" wrap gap="small">
        <Flex align="center" gap="small" wrap>
          <Link to="/orders" aria-label={t('orders.back')}>
            <ArrowLeftOutlined />
          </Link>
          <Typography.Title level={3} style={{ margin: 0 }}>
            {t('orders.detailTitle', { number: view.number })}
          </Typography.Title>
          <OrderStatusTag status={view.status} />
          {isPlaced && <DealTag isDeal={view.isDeal} reasons={view.dealReasons} />}
        </Flex>
        <Flex gap="small" wrap>
          {isOpen && canCheckout && (
            <Button type="primary" onClick={() => setDialog('checkout')}>
              {t('orders.actions.checkout')}
            </Button>
          )}
          {isOpen && canCheckout && (
            <Button danger onClick={() => setDialog('void')}>
              {t('orders.actions.void')}
            </Button>
          )}
          {isPlaced && view.arrearsFen > 0 && canCheckout && (
            <Button type="primary" onClick={() => setDialog('payArrears')}>
              {t('orders.actions.payArrears')}
            </Button>
          )}
          {isPlaced && (
            <PermittedButton permission="orders.refund" danger onClick={() => setDialog('refund')}>
              {t('orders.actions.refund')}
            </PermittedButton>
          )}
          {view.status !== 'voided' && <ReceiptButton orderId={view.id} />}
        </Flex>
      </Flex>
      <AllergyAlert allergies={view.allergies} />
      <Flex gap={16} wrap>
        {(
          [
            ['total', view.totalFen],
            ['refunded', view.refundedFen],
            ['due', view.dueFen],
            ['paid', view.paidFen],
            ['arrears', view.arrearsFen],
          ] as const
        ).map(([key, fen]) => (
          <Card key={key} size="small" style={{ flex: '1 1 160px' }}>
            <Statistic
              title={t(`orders.amounts.${key}`)}
              value={formatYuan(fen)}
              styles={key === 'arrears' && fen > 0 ? { content: { color: token.colorError } } : undefined}
            />
          </Card>
        ))}
      </Flex>
      <Card>
        <Descriptions
          column={{ xs: 1, md: 2, xl: 3 }}
          items={[
            { key: 'customer', label: t('orders.fields.customer'), children: <Link to={`/customers/${view.customerId}`}>{view.customerName}</Link> },
            { key: 'store', label: t('orders.fields.store'), children: view.storeName },
            { key: 'businessDate', label: t('orders.fields.businessDate'), children: view.businessDate },
            { key: 'orderType', label: t('orders.fields.orderType'), children: view.orderType },
            { key: 'visitType', label: t('orders.fields.visitType'), children: visitTypeLabel(view.visitType) },
            {
              key: 'deal',
              label: t('orders.fields.deal'),
              children: (
                <Flex vertical gap={2} align="flex-start">
                  <DealTag isDeal={view.isDeal} />
                  {view.dealReasons.length > 0 && (
                    <Typography.Text type="secondary">{view.dealReasons.map(dealReason).join(t('common.clauseSeparator'))}</Typography.Text>
                  )}
                </Flex>
              ),
            },
            { key: 'openedBy', label: t('orders.fields.openedBy'), children: view.openedByName ?? t('common.empty') },
            { key: 'createdAt', label: t('orders.fields.createdAt'), children: formatTenantTime(view.createdAt, timezone, 'YYYY-MM-DD HH:mm') },
            {
              key: 'placedAt',
              label: t('orders.fields.placedAt'),
              children: view.placedAt ? formatTenantTime(view.placedAt, timezone, 'YYYY-MM-DD HH:mm') : t('common.empty'),
            },
            ...(view.notes ? [{ key: 'notes', label: t('orders.fields.notes'), children: view.notes }] : []),
            ...(view.voidReason ? [{ key: 'voidReason', label: t('orders.fields.voidReason'), children: view.voidReason }] : []),
          ]}
        />
      </Card>
      <Card title={t('orders.lines.title')}>
        <LinesTable order={view} />
      </Card>
      <Card title={t('orders.payments.title')}>
        <PaymentsTable order={view} onReverse={canReverse ? setReversing : undefined} />
      </Card>

      {dialog === 'checkout' && (
        <CheckoutOrderDialog
          orderId={view.id}
          onClose={() => setDialog(null)}
          onDone={(placed) => {
            setDialog(null);
            setCheckedOut(placed);
          }}
        />
      )}
      {dialog === 'void' && <VoidOrderDialog order={view} onClose={() => setDialog(null)} />}
      {dialog === 'payArrears' && <PayArrearsDialog order={view} onClose={() => setDialog(null)} />}
      {dialog === 'refund' && <RefundDialog order={view} onClose={() => setDialog(null)} />}
      <ReversalDialog
        open={reversing !== null}
        title={t('orders.reverseDialog.title')}
        description={
          reversing
            ? t('orders.reverseDialog.description', {
                method: methodLabel(reversing.method),
                amount: formatYuan(reversing.amountFen),
                time: formatTenantTime(reversing.createdAt, timezone, 'YYYY-MM-DD HH:mm'),
              })
            : ''
        }
        onCancel={() => setReversing(null)}
        onConfirm={async (input) => {
          if (!reversing) return;
          await reversePayment.mutateAsync({ paymentId: reversing.id, input, idempotencyKey: idempotencyKeyFor({ paymentId: reversing.id, input }) });
          void message.success(t('orders.reverseDialog.done'));
          setReversing(null);
        }}
      />
      <CheckoutResult order={checkedOut} onNext={() => setCheckedOut(null)} />
    </Flex>
  );
};
