import { keepPreviousData, useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../../shared/api';
import type { OrdersQuery } from '../../shared/api-models';

/**
 * The 360 page's tabs. Keys start with 'customers' (and name 'orders' / 'courses'), so writes
 * that invalidate customers, orders or courses anywhere refresh them too.
 */
export const customer360Keys = {
  orders: (customerId: string, query: OrdersQuery) => ['customers', customerId, 'orders', query] as const,
  courses: (customerId: string) => ['customers', customerId, 'courses'] as const,
  audit: (customerId: string) => ['customers', customerId, 'audit'] as const,
};

export const useCustomerOrders = (customerId: string, query: Omit<OrdersQuery, 'customerId'>) => {
  const fullQuery: OrdersQuery = { ...query, customerId };
  return useQuery({
    queryKey: customer360Keys.orders(customerId, fullQuery),
    queryFn: () => unwrap(api.GET('/api/v1/orders', { params: { query: fullQuery } })),
    placeholderData: keepPreviousData,
  });
};

export const useCustomerCourses = (customerId: string) =>
  useQuery({
    queryKey: customer360Keys.courses(customerId),
    queryFn: () => unwrap(api.GET('/api/v1/customers/{id}/courses', { params: { path: { id: customerId } } })),
  });

const auditPageSize = 50;

/** 审计记录 of the customer, newest first, 50 at a time (keyset on the entry id). */
export const useCustomerAudit = (customerId: string) =>
  useInfiniteQuery({
    queryKey: customer360Keys.audit(customerId),
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam }) =>
      unwrap(
        api.GET('/api/v1/audit-log', {
          params: { query: { entityType: 'customer', entityId: customerId, limit: auditPageSize, ...(pageParam ? { before: pageParam } : {}) } },
        }),
      ),
    getNextPageParam: (lastPage) => (lastPage.items.length < auditPageSize ? undefined : lastPage.items[lastPage.items.length - 1]?.id),
  });
