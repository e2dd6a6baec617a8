import dayjs from 'dayjs';
import type { OrderStatus, OrdersQuery } from '../../shared/api-models';

/** The order list's filters, kept in the address bar so links (欠费 of one customer) and back/forward keep them. */
export type OrderListState = {
  storeId?: string;
  businessDate?: string;
  status?: OrderStatus;
  hasArrears?: 'true';
  customerId?: string;
  page: number;
  pageSize: number;
};

const statuses: readonly OrderStatus[] = ['open', 'placed', 'voided'];
const isOrderStatus = (value: unknown): value is OrderStatus => statuses.some((status) => status === value);
const pageSizes = [10, 20, 50, 100];

const positiveInt = (value: string | null, fallback: number) => {
  const parsed = Number(value);
  return Number.isInteger(parsed) && parsed > 0 ? parsed : fallback;
};
const nonEmpty = (value: string | null) => (value && value.trim() !== '' ? value : undefined);
const isoDate = (value: string | null) => (value && /^\d{4}-\d{2}-\d{2}$/.test(value) && dayjs(value).isValid() ? value : undefined);

export const orderStatuses = statuses;

export const readOrderListState = (params: URLSearchParams): OrderListState => {
  const status = params.get('status');
  const pageSize = positiveInt(params.get('pageSize'), 20);
  return {
    storeId: nonEmpty(params.get('storeId')),
    businessDate: isoDate(params.get('businessDate')),
    status: isOrderStatus(status) ? status : undefined,
    hasArrears: params.get('hasArrears') === 'true' ? 'true' : undefined,
    customerId: nonEmpty(params.get('customerId')),
    page: positiveInt(params.get('page'), 1),
    pageSize: pageSizes.includes(pageSize) ? pageSize : 20,
  };
};

export const writeOrderListState = (state: OrderListState): URLSearchParams => {
  const params = new URLSearchParams();
  for (const key of ['storeId', 'businessDate', 'status', 'hasArrears', 'customerId'] as const) {
    const value = state[key];
    if (value) params.set(key, value);
  }
  if (state.page > 1) params.set('page', String(state.page));
  if (state.pageSize !== 20) params.set('pageSize', String(state.pageSize));
  return params;
};

export const toOrdersQuery = (state: OrderListState): OrdersQuery => ({
  page: state.page,
  pageSize: state.pageSize,
  ...(state.storeId ? { storeId: state.storeId } : {}),
  ...(state.businessDate ? { businessDate: state.businessDate } : {}),
  ...(state.status ? { status: state.status } : {}),
  ...(state.hasArrears ? { hasArrears: state.hasArrears } : {}),
  ...(state.customerId ? { customerId: state.customerId } : {}),
});
