import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, expectNoContent, unwrap } from '../../shared/api';
import type { CustomerInput, CustomerPatch, CustomersQuery, FamilyMemberInput } from '../../shared/api-models';

export const customerKeys = {
  all: ['customers'] as const,
  list: (query: CustomersQuery) => ['customers', 'list', query] as const,
  search: (term: string) => ['customers', 'search', term] as const,
  detail: (id: string) => ['customers', 'detail', id] as const,
  view360: (id: string) => ['customers', '360', id] as const,
  tags: ['customer-tags'] as const,
};

export const staffKey = ['staff'] as const;

export const useCustomerList = (query: CustomersQuery) =>
  useQuery({
    queryKey: customerKeys.list(query),
    queryFn: () => unwrap(api.GET('/api/v1/customers', { params: { query } })),
    placeholderData: keepPreviousData,
  });

/** Customers matching a search box, for pickers (referrer, family member). */
export const useCustomerSearch = (term: string) =>
  useQuery({
    queryKey: customerKeys.search(term),
    queryFn: () => unwrap(api.GET('/api/v1/customers', { params: { query: { q: term, pageSize: 10 } } })),
    enabled: term.trim().length > 0,
  });

export const useCustomer = (id: string | undefined) =>
  useQuery({
    queryKey: customerKeys.detail(id ?? ''),
    queryFn: () => unwrap(api.GET('/api/v1/customers/{id}', { params: { path: { id: id ?? '' } } })),
    enabled: Boolean(id),
  });

export const useCustomer360 = (id: string) =>
  useQuery({
    queryKey: customerKeys.view360(id),
    queryFn: () => unwrap(api.GET('/api/v1/customers/{id}/360', { params: { path: { id } } })),
  });

export const useStaff = () =>
  useQuery({
    queryKey: staffKey,
    queryFn: () => unwrap(api.GET('/api/v1/staff')),
    staleTime: 5 * 60_000,
  });

export const useCustomerTags = () =>
  useQuery({
    queryKey: customerKeys.tags,
    queryFn: () => unwrap(api.GET('/api/v1/customer-tags')),
  });

/** Lists, 360 views and tag counts all change when one customer does. */
const useInvalidateCustomers = () => {
  const queryClient = useQueryClient();
  return () => Promise.all([queryClient.invalidateQueries({ queryKey: customerKeys.all }), queryClient.invalidateQueries({ queryKey: customerKeys.tags })]);
};

export const useCreateCustomer = () => {
  const invalidate = useInvalidateCustomers();
  return useMutation({
    mutationFn: ({ input, idempotencyKey }: { input: CustomerInput; idempotencyKey: string }) =>
      unwrap(api.POST('/api/v1/customers', { body: input, headers: { 'Idempotency-Key': idempotencyKey } })),
    onSuccess: invalidate,
  });
};

export const useUpdateCustomer = (id: string) => {
  const invalidate = useInvalidateCustomers();
  return useMutation({
    mutationFn: (patch: CustomerPatch) => unwrap(api.PATCH('/api/v1/customers/{id}', { params: { path: { id } }, body: patch })),
    onSuccess: invalidate,
  });
};

export const useAddFamilyMember = (customerId: string) => {
  const invalidate = useInvalidateCustomers();
  return useMutation({
    mutationFn: (input: FamilyMemberInput) => unwrap(api.POST('/api/v1/customers/{id}/family', { params: { path: { id: customerId } }, body: input })),
    onSuccess: invalidate,
  });
};

export const useRemoveFamilyMember = (customerId: string) => {
  const invalidate = useInvalidateCustomers();
  return useMutation({
    mutationFn: (memberId: string) =>
      expectNoContent(api.DELETE('/api/v1/customers/{id}/family/{memberId}', { params: { path: { id: customerId, memberId } } })),
    onSuccess: invalidate,
  });
};
