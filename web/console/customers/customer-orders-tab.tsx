import { Alert, Flex, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { OrderSummary } from '../../shared/api-models';
import { formatYuan } from '../../shared/money';
import { useErrorMessage } from '../common/error-message';
import { DealTag, OrderStatusTag } from '../orders/order-tags';
import { VisitTypeTag } from '../visits/visit-type-tag';
import { useCustomerOrders } from './customer-360-queries';

const money = (fen: number) => <Typography.Text style={{ fontVariantNumeric: 'tabular-nums' }}>{formatYuan(fen)}</Typography.Text>;

type CustomerOrdersTabProps = {
  customerId: string;
  /** 欠费: only orders with arrears, under the customer's total arrears. */
  arrears?: { totalFen: number };
};

/** 订单 (or 欠费): the customer's orders, each linking to its order page. */
export const CustomerOrdersTab = ({ customerId, arrears }: CustomerOrdersTabProps) => {
  const { t } = useTranslation();
  const errorMessage = useErrorMessage();
  const [paging, setPaging] = useState({ page: 1, pageSize: 20 });
  const orders = useCustomerOrders(customerId, { ...paging, ...(arrears ? { hasArrears: 'true' as const } : {}) });
  const items = orders.data?.items ?? [];

  const columns: ColumnsType<OrderSummary> = [
    {
      key: 'number',
      title: t('customer360.orders.number'),
      width: 150,
      render: (_, order) => <Link to={`/orders/${order.id}`}>{order.number}</Link>,
    },
    { key: 'date', title: t('customer360.orders.date'), width: 110, dataIndex: 'businessDate' },
    {
      key: 'items',
      title: t('customer360.orders.items'),
      render: (_, order) => (
        <Flex vertical gap={2}>
          <span>{order.itemNames.join('、')}</span>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {order.orderType} · {order.storeName}
          </Typography.Text>
        </Flex>
      ),
    },
    {
      key: 'total',
      title: t('customer360.orders.total'),
      width: 120,
      align: 'right',
      render: (_, order) => (
        <Flex vertical align="flex-end" gap={2}>
          {money(order.totalFen)}
          {order.refundedFen > 0 && (
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {t('customer360.orders.refunded', { amount: formatYuan(order.refundedFen) })}
            </Typography.Text>
          )}
        </Flex>
      ),
    },
    { key: 'paid', title: t('customer360.orders.paid'), width: 110, align: 'right', render: (_, order) => money(order.paidFen) },
    {
      key: 'arrears',
      title: t('customer360.orders.arrears'),
      width: 110,
      align: 'right',
      render: (_, order) =>
        order.arrearsFen > 0 ? (
          <Tag color="orange" style={{ marginInlineEnd: 0 }}>
            {formatYuan(order.arrearsFen)}
          </Tag>
        ) : (
          t('common.empty')
        ),
    },
    {
      key: 'status',
      title: t('customer360.orders.status'),
      width: 90,
      render: (_, order) => <OrderStatusTag status={order.status} />,
    },
    { key: 'visitType', title: t('customer360.orders.visitType'), width: 100, render: (_, order) => <VisitTypeTag type={order.visitType} /> },
    {
      key: 'deal',
      title: t('customer360.orders.deal'),
      width: 90,
      render: (_, order) => <DealTag isDeal={order.isDeal} />,
    },
  ];

  return (
    <Flex vertical gap="small">
      {arrears && items.length > 0 && (
        <Alert type="warning" showIcon title={t('customer360.arrears.summary', { count: orders.data?.total ?? 0, amount: formatYuan(arrears.totalFen) })} />
      )}
      {orders.isError && <Alert type="error" showIcon title={errorMessage(orders.error)} />}
      <Table<OrderSummary>
        rowKey="id"
        size="middle"
        columns={columns}
        dataSource={items}
        loading={orders.isFetching}
        locale={{ emptyText: arrears ? t('customer360.arrears.empty') : t('customer360.orders.empty') }}
        pagination={{
          current: paging.page,
          pageSize: paging.pageSize,
          total: orders.data?.total ?? 0,
          hideOnSinglePage: true,
          onChange: (page, pageSize) => setPaging({ page: pageSize === paging.pageSize ? page : 1, pageSize }),
        }}
      />
    </Flex>
  );
};
