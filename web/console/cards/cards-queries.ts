import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, unwrap } from '../../shared/api';
import type { paths } from '../../shared/api-types';
import { useInvalidateMoney } from '../orders/order-queries';

type JsonContent<Response> = Response extends { content: { 'application/json': infer Body } } ? Body : never;
type JsonRequestBody<Operation> = Operation extends { requestBody?: { content: { 'application/json': infer Body } } } ? Body : never;

export type CardProduct = JsonContent<paths['/api/v1/card-products']['get']['responses'][200]>['items'][number];
export type CardProductInput = JsonRequestBody<paths['/api/v1/card-products']['post']>;
export type CardProductPatch = JsonRequestBody<paths['/api/v1/card-products/{id}']['patch']>;
export type StoredValueSettings = JsonContent<paths['/api/v1/settings/stored-value']['get']['responses'][200]>;
export type StoredValueOverview = JsonContent<paths['/api/v1/customers/{id}/stored-value']['get']['responses'][200]>;
export type CustomerCard = JsonContent<paths['/api/v1/customers/{id}/cards']['get']['responses'][200]>['items'][number];
export type SellInput = JsonRequestBody<paths['/api/v1/customers/{id}/cards']['post']>;
export type TopUpRefundInput = JsonRequestBody<paths['/api/v1/stored-value/top-ups/{id}/refund']['post']>;

export const cardKeys = {
  products: ['cards', 'products'] as const,
  settings: ['settings', 'stored-value'] as const,
  storedValue: (customerId: string) => ['cards', 'stored-value', customerId] as const,
  customerCards: (customerId: string) => ['cards', 'customer', customerId] as const,
};

export const useCardProducts = (includeInactive = false) =>
  useQuery({
    queryKey: [...cardKeys.products, includeInactive],
    queryFn: () => unwrap(api.GET('/api/v1/card-products', { params: { query: includeInactive ? { includeInactive: 'true' } : {} } })),
  });

export const useCreateCardProduct = () => {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: CardProductInput) => unwrap(api.POST('/api/v1/card-products', { body: input })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: cardKeys.products }),
  });
};

/** Kind and the sold item are fixed once created; cards already sold keep the terms they were sold with. */
export const useUpdateCardProduct = () => {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, patch }: { id: string; patch: CardProductPatch }) =>
      unwrap(api.PATCH('/api/v1/card-products/{id}', { params: { path: { id } }, body: patch })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: cardKeys.products }),
  });
};

export const useToggleCardProduct = () => {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, isActive }: { id: string; isActive: boolean }) =>
      unwrap(api.PATCH('/api/v1/card-products/{id}', { params: { path: { id } }, body: { isActive } })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: cardKeys.products }),
  });
};

export const useStoredValueSettings = () => useQuery({ queryKey: cardKeys.settings, queryFn: () => unwrap(api.GET('/api/v1/settings/stored-value')) });

export const useSaveStoredValueSettings = () => {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: StoredValueSettings) => unwrap(api.PUT('/api/v1/settings/stored-value', { body: input })),
    onSuccess: (data) => queryClient.setQueryData(cardKeys.settings, data),
  });
};

export const useStoredValue = (customerId: string) =>
  useQuery({
    queryKey: cardKeys.storedValue(customerId),
    queryFn: () => unwrap(api.GET('/api/v1/customers/{id}/stored-value', { params: { path: { id: customerId } } })),
  });

export const useCustomerCards = (customerId: string) =>
  useQuery({
    queryKey: cardKeys.customerCards(customerId),
    queryFn: () => unwrap(api.GET('/api/v1/customers/{id}/cards', { params: { path: { id: customerId } } })),
  });

/** 充值 or 售卡 at the desk: one order checked out at once; refreshes the balance, the cards and the customer's orders. */
export const useSell = (customerId: string, what: 'top-up' | 'card') => {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ input, idempotencyKey }: { input: SellInput; idempotencyKey: string }) =>
      what === 'top-up'
        ? unwrap(
            api.POST('/api/v1/customers/{id}/stored-value/top-ups', {
              params: { path: { id: customerId } },
              body: input,
              headers: { 'Idempotency-Key': idempotencyKey },
            }),
          )
        : unwrap(
            api.POST('/api/v1/customers/{id}/cards', { params: { path: { id: customerId } }, body: input, headers: { 'Idempotency-Key': idempotencyKey } }),
          ),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['cards'] }).then(() => queryClient.invalidateQueries({ queryKey: ['orders'] })),
  });
};

/** 储值退款: the top-up's unused principal is paid back and its unused bonus voided; balance, ledger and the order refresh. */
export const useRefundTopUp = () => {
  const queryClient = useQueryClient();
  const invalidateMoney = useInvalidateMoney();
  return useMutation({
    mutationFn: ({ topUpId, input, idempotencyKey }: { topUpId: string; input: TopUpRefundInput; idempotencyKey: string }) =>
      unwrap(
        api.POST('/api/v1/stored-value/top-ups/{id}/refund', {
          params: { path: { id: topUpId } },
          body: input,
          headers: { 'Idempotency-Key': idempotencyKey },
        }),
      ),
    onSuccess: () => Promise.all([queryClient.invalidateQueries({ queryKey: ['cards'] }), invalidateMoney()]),
  });
};

export const useAddCardMember = (customerId: string) => {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ cardId, memberId, relation }: { cardId: string; memberId: string; relation: string | null }) =>
      unwrap(api.POST('/api/v1/cards/{id}/members', { params: { path: { id: cardId } }, body: { customerId: memberId, relation } })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: cardKeys.customerCards(customerId) }),
  });
};

export const useRemoveCardMember = (customerId: string) => {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ cardId, memberId }: { cardId: string; memberId: string }) =>
      unwrap(api.DELETE('/api/v1/cards/{id}/members/{customerId}', { params: { path: { id: cardId, customerId: memberId } } })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: cardKeys.customerCards(customerId) }),
  });
};
