import { ReloadOutlined } from '@ant-design/icons';
import { Alert, Button, Flex, Space, Table, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { Order, OrderSummary } from '../../shared/api-models';
import { formatYuan } from '../../shared/money';
import { useCan } from '../auth/me-context';
import { useErrorMessage } from '../common/error-message';
import { formatTenantTime, useTenantTimezone } from '../common/tenant-time';
import { AllergyIcon } from '../customers/allergy-icon';
import { CheckoutOrderDialog } from '../orders/checkout-order-dialog';
import { useOrders } from '../orders/order-queries';
import { VoidOrderDialog } from '../orders/void-order-dialog';
import { CheckoutResult } from './checkout-result';

/** Today's open orders of the store: the front desk's 待收银 queue, refreshed every half minute. */
export const useUnpaidQueue = (storeId: string | undefined, businessDate: string) =>
  useOrders({ status: 'open', businessDate, storeId, pageSize: 100 }, { enabled: Boolean(storeId), refetchInterval: 30_000 });

export const UnpaidQueue = ({ storeId, businessDate }: { storeId: string | undefined; businessDate: string }) => {
  const { t } = useTranslation();
  const errorMessage = useErrorMessage();
  const timezone = useTenantTimezone();
  const canCheckout = useCan('orders.checkout');
  const queue = useUnpaidQueue(storeId, businessDate);
  const [paying, setPaying] = useState<string | null>(null);
  const [voiding, setVoiding] = useState<OrderSummary | null>(null);
  const [done, setDone] = useState<Order | null>(null);

  const columns: ColumnsType<OrderSummary> = [
    {
      key: 'number',
      title: t('checkout.queue.number'),
      width: 170,
      render: (_, order) => <Link to={`/orders/${order.id}`}>{order.number}</Link>,
    },
    { key: 'time', title: t('checkout.queue.time'), width: 90, render: (_, order) => formatTenantTime(order.createdAt, timezone) },
    {
      key: 'customer',
      title: t('checkout.queue.customer'),
      width: 140,
      render: (_, order) => (
        <Flex gap={6} align="center">
          <Link to={`/customers/${order.customerId}`}>{order.customerName}</Link>
          <AllergyIcon allergies={order.allergies} />
        </Flex>
      ),
    },
    { key: 'items', title: t('checkout.queue.items'), render: (_, order) => order.itemNames.join('、') },
    {
      key: 'total',
      title: t('checkout.queue.total'),
      width: 120,
      align: 'right',
      render: (_, order) => <Typography.Text strong>{formatYuan(order.totalFen)}</Typography.Text>,
    },
    { key: 'openedBy', title: t('checkout.queue.openedBy'), width: 100, render: (_, order) => order.openedByName ?? t('common.empty') },
    ...(canCheckout
      ? [
          {
            key: 'actions',
            title: t('checkout.queue.actions'),
            width: 150,
            render: (_: unknown, order: OrderSummary) => (
              <Space>
                <Button type="primary" size="small" onClick={() => setPaying(order.id)} aria-label={`${t('checkout.queue.checkout')} ${order.number}`}>
                  {t('checkout.queue.checkout')}
                </Button>
                <Button danger size="small" onClick={() => setVoiding(order)} aria-label={`${t('checkout.queue.void')} ${order.number}`}>
                  {t('checkout.queue.void')}
                </Button>
              </Space>
            ),
          },
        ]
      : []),
  ];

  return (
    <Flex vertical gap="middle">
      <Flex justify="space-between" align="center">
        <Typography.Title level={5} style={{ margin: 0 }}>
          {t('checkout.queue.title')}
        </Typography.Title>
        <Button icon={<ReloadOutlined />} loading={queue.isFetching} onClick={() => void queue.refetch()}>
          {t('checkout.queue.refresh')}
        </Button>
      </Flex>
      {queue.isError && <Alert type="error" showIcon title={errorMessage(queue.error)} />}
      <Table<OrderSummary>
        rowKey="id"
        size="middle"
        columns={columns}
        dataSource={queue.data?.items ?? []}
        loading={queue.isPending && Boolean(storeId)}
        pagination={false}
        locale={{ emptyText: t('checkout.queue.empty') }}
      />
      {paying && (
        <CheckoutOrderDialog
          orderId={paying}
          onClose={() => setPaying(null)}
          onDone={(order) => {
            setPaying(null);
            setDone(order);
          }}
        />
      )}
      {voiding && <VoidOrderDialog order={voiding} onClose={() => setVoiding(null)} />}
      <CheckoutResult order={done} onNext={() => setDone(null)} />
    </Flex>
  );
};
