import { Alert, Card, Checkbox, DatePicker, Flex, Select, Table, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import type { OrderSummary } from '../../shared/api-models';
import { formatYuan } from '../../shared/money';
import { useErrorMessage } from '../common/error-message';
import { AllergyIcon } from '../customers/allergy-icon';
import { useCustomer } from '../customers/customer-queries';
import { CustomerSearchSelect } from '../customers/customer-search-select';
import { type OrderListState, orderStatuses, readOrderListState, toOrdersQuery, writeOrderListState } from './order-list-state';
import { useOrders } from './order-queries';
import { DealTag, OrderStatusTag, useVisitTypeLabel } from './order-tags';
import { StoreSelect } from './store-select';

const money = (fen: number, isDanger = false) => (
  <Typography.Text type={isDanger ? 'danger' : undefined} style={{ fontVariantNumeric: 'tabular-nums' }}>
    {formatYuan(fen)}
  </Typography.Text>
);

/** 订单: every order of the clinic, filtered by store, day, status, arrears or customer. */
export const OrdersPage = () => {
  const { t } = useTranslation();
  const errorMessage = useErrorMessage();
  const visitTypeLabel = useVisitTypeLabel();
  const [searchParams, setSearchParams] = useSearchParams();
  const state = readOrderListState(searchParams);
  const list = useOrders(toOrdersQuery(state));
  const filteredCustomer = useCustomer(state.customerId);

  // Any filter change starts again at page 1.
  const update = (next: Partial<OrderListState>) => setSearchParams(writeOrderListState({ ...state, page: 1, ...next }));

  const columns: ColumnsType<OrderSummary> = [
    {
      key: 'number',
      title: t('orders.columns.number'),
      width: 170,
      render: (_, order) => <Link to={`/orders/${order.id}`}>{order.number}</Link>,
    },
    { key: 'date', title: t('orders.columns.date'), width: 110, render: (_, order) => order.businessDate },
    { key: 'store', title: t('orders.columns.store'), width: 120, render: (_, order) => order.storeName },
    {
      key: 'customer',
      title: t('orders.columns.customer'),
      width: 120,
      render: (_, order) => (
        <Flex gap={6} align="center">
          <Link to={`/customers/${order.customerId}`}>{order.customerName}</Link>
          <AllergyIcon allergies={order.allergies} />
        </Flex>
      ),
    },
    { key: 'items', title: t('orders.columns.items'), width: 240, ellipsis: true, render: (_, order) => order.itemNames.join('、') },
    { key: 'type', title: t('orders.columns.orderType'), width: 80, render: (_, order) => order.orderType },
    { key: 'status', title: t('orders.columns.status'), width: 90, render: (_, order) => <OrderStatusTag status={order.status} /> },
    { key: 'total', title: t('orders.columns.total'), width: 110, align: 'right', render: (_, order) => money(order.dueFen) },
    { key: 'paid', title: t('orders.columns.paid'), width: 110, align: 'right', render: (_, order) => money(order.paidFen) },
    {
      key: 'arrears',
      title: t('orders.columns.arrears'),
      width: 110,
      align: 'right',
      render: (_, order) => (order.arrearsFen > 0 ? money(order.arrearsFen, true) : t('common.empty')),
    },
    { key: 'visitType', title: t('orders.columns.visitType'), width: 90, render: (_, order) => visitTypeLabel(order.visitType) },
    { key: 'deal', title: t('orders.columns.deal'), width: 80, render: (_, order) => <DealTag isDeal={order.isDeal} /> },
  ];

  return (
    <Card>
      <Flex vertical gap="middle">
        <Typography.Title level={3} style={{ margin: 0 }}>
          {t('orders.title')}
        </Typography.Title>
        <Flex wrap gap="small" align="center">
          <StoreSelect aria-label={t('orders.filters.store')} allowAll value={state.storeId} onChange={(storeId) => update({ storeId })} />
          <DatePicker
            aria-label={t('orders.filters.date')}
            placeholder={t('orders.filters.date')}
            value={state.businessDate ? dayjs(state.businessDate) : null}
            onChange={(date) => update({ businessDate: date ? date.format('YYYY-MM-DD') : undefined })}
          />
          <Select
            aria-label={t('orders.filters.status')}
            placeholder={t('orders.filters.allStatuses')}
            allowClear
            style={{ width: 140 }}
            value={state.status}
            options={orderStatuses.map((status) => ({ value: status, label: t(`orders.status.${status}`) }))}
            onChange={(status) => update({ status })}
          />
          <CustomerSearchSelect
            aria-label={t('orders.filters.customer')}
            placeholder={t('orders.filters.customerPlaceholder')}
            style={{ width: 220 }}
            value={state.customerId}
            initialOption={filteredCustomer.data ? { id: filteredCustomer.data.id, name: filteredCustomer.data.name } : null}
            onChange={(customerId) => update({ customerId })}
          />
          <Checkbox checked={state.hasArrears === 'true'} onChange={(event) => update({ hasArrears: event.target.checked ? 'true' : undefined })}>
            {t('orders.filters.arrearsOnly')}
          </Checkbox>
        </Flex>
        {list.isError && <Alert type="error" showIcon title={errorMessage(list.error)} />}
        <Table<OrderSummary>
          rowKey="id"
          columns={columns}
          dataSource={list.data?.items ?? []}
          loading={list.isFetching}
          locale={{ emptyText: t('orders.empty') }}
          scroll={{ x: 1500 }}
          pagination={{
            current: state.page,
            pageSize: state.pageSize,
            total: list.data?.total ?? 0,
            showSizeChanger: true,
            pageSizeOptions: [10, 20, 50, 100],
            showTotal: (total) => t('orders.total', { count: total }),
            onChange: (page, pageSize) => setSearchParams(writeOrderListState({ ...state, page: pageSize === state.pageSize ? page : 1, pageSize })),
          }}
        />
      </Flex>
    </Card>
  );
};
