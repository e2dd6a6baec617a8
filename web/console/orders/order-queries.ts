import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, unwrap } from '../../shared/api';
import type { OpenOrderInput, OrdersQuery, PaymentsInput, RefundInput, ReversalInput, VoidOrderInput } from '../../shared/api-models';

export const orderKeys = {
  all: ['orders'] as const,
  list: (query: OrdersQuery) => ['orders', 'list', query] as const,
  detail: (id: string) => ['orders', 'detail', id] as const,
};

export const useOrders = (query: OrdersQuery, options: { enabled?: boolean; refetchInterval?: number } = {}) =>
  useQuery({
    queryKey: orderKeys.list(query),
    queryFn: () => unwrap(api.GET('/api/v1/orders', { params: { query } })),
    placeholderData: keepPreviousData,
    ...options,
  });

export const useOrder = (id: string | undefined) =>
  useQuery({
    queryKey: orderKeys.detail(id ?? ''),
    queryFn: () => unwrap(api.GET('/api/v1/orders/{id}', { params: { path: { id: id ?? '' } } })),
    enabled: Boolean(id),
  });

/** Order types and the default one (开单设置). */
export const useOrderSettings = () =>
  useQuery({
    queryKey: ['settings', 'orders'],
    queryFn: () => unwrap(api.GET('/api/v1/settings/orders')),
    staleTime: 5 * 60_000,
  });

/**
 * Money moved: orders, the customer's arrears and tags, her courses and deductions, and the
 * day's shift totals all change. Matches any query key naming one of them, so lists kept by
 * other screens (the customer 360 tabs) refresh too.
 */
const touchedByMoney = new Set(['orders', 'customers', 'courses', 'deductions', 'shift-close']);

export const useInvalidateMoney = () => {
  const queryClient = useQueryClient();
  return () =>
    queryClient.invalidateQueries({
      predicate: (query) => query.queryKey.some((part) => typeof part === 'string' && touchedByMoney.has(part)),
    });
};

type Keyed<Input> = { input: Input; idempotencyKey: string };
const keyHeader = (idempotencyKey: string) => ({ 'Idempotency-Key': idempotencyKey });

/** 开单: queued unpaid without `payments`, checked out at once with them. */
export const useOpenOrder = () => {
  const invalidate = useInvalidateMoney();
  return useMutation({
    mutationFn: ({ input, idempotencyKey }: Keyed<OpenOrderInput>) => unwrap(api.POST('/api/v1/orders', { body: input, headers: keyHeader(idempotencyKey) })),
    onSuccess: invalidate,
  });
};

export const useCheckoutOrder = () => {
  const invalidate = useInvalidateMoney();
  return useMutation({
    mutationFn: ({ id, input, idempotencyKey }: Keyed<PaymentsInput> & { id: string }) =>
      unwrap(api.POST('/api/v1/orders/{id}/checkout', { params: { path: { id } }, body: input, headers: keyHeader(idempotencyKey) })),
    onSuccess: invalidate,
  });
};

/** 补缴欠费. */
export const usePayArrears = () => {
  const invalidate = useInvalidateMoney();
  return useMutation({
    mutationFn: ({ id, input, idempotencyKey }: Keyed<PaymentsInput> & { id: string }) =>
      unwrap(api.POST('/api/v1/orders/{id}/payments', { params: { path: { id } }, body: input, headers: keyHeader(idempotencyKey) })),
    onSuccess: invalidate,
  });
};

export const useVoidOrder = () => {
  const invalidate = useInvalidateMoney();
  return useMutation({
    mutationFn: ({ id, input }: { id: string; input: VoidOrderInput }) =>
      unwrap(api.POST('/api/v1/orders/{id}/void', { params: { path: { id } }, body: input })),
    onSuccess: invalidate,
  });
};

export const useRefundOrder = () => {
  const invalidate = useInvalidateMoney();
  return useMutation({
    mutationFn: ({ id, input, idempotencyKey }: Keyed<RefundInput> & { id: string }) =>
      unwrap(api.POST('/api/v1/orders/{id}/refunds', { params: { path: { id } }, body: input, headers: keyHeader(idempotencyKey) })),
    onSuccess: invalidate,
  });
};

/** 撤销收款. */
export const useReversePayment = () => {
  const invalidate = useInvalidateMoney();
  return useMutation({
    mutationFn: ({ paymentId, input, idempotencyKey }: Keyed<ReversalInput> & { paymentId: string }) =>
      unwrap(api.POST('/api/v1/payments/{id}/reversal', { params: { path: { id: paymentId } }, body: input, headers: keyHeader(idempotencyKey) })),
    onSuccess: invalidate,
  });
};
