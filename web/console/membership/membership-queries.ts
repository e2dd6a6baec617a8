import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, expectNoContent, unwrap } from '../../shared/api';
import type { paths } from '../../shared/api-types';

type JsonContent<Response> = Response extends { content: { 'application/json': infer Body } } ? Body : never;
type JsonRequestBody<Operation> = Operation extends { requestBody?: { content: { 'application/json': infer Body } } } ? Body : never;

// 会员等级 (SPEC §7): names for the bodies these screens use, derived from the generated paths.
export type Tier = JsonContent<paths['/api/v1/membership/tiers']['get']['responses'][200]>['items'][number];
export type TierInput = JsonRequestBody<paths['/api/v1/membership/tiers']['post']>;
export type TierBenefits = Tier['benefits'];
export type TierCriteria = Tier['criteria'];
export type Retention = Tier['retention'];
export type MembershipSettings = JsonContent<paths['/api/v1/settings/membership']['get']['responses'][200]>;
export type Membership = JsonContent<paths['/api/v1/customers/{id}/membership']['get']['responses'][200]>;
export type TierChange = Membership['history'][number];
export type ManualTierChange = JsonRequestBody<paths['/api/v1/customers/{id}/membership/tier-changes']['post']>;

export const membershipKeys = {
  all: ['membership'] as const,
  tiers: ['membership', 'tiers'] as const,
  settings: ['settings', 'membership'] as const,
  customer: (customerId: string) => ['membership', 'customer', customerId] as const,
};

export const useTiers = (enabled = true) =>
  useQuery({ queryKey: membershipKeys.tiers, queryFn: () => unwrap(api.GET('/api/v1/membership/tiers')), enabled, staleTime: 30_000 });

export const useMembershipSettings = () => useQuery({ queryKey: membershipKeys.settings, queryFn: () => unwrap(api.GET('/api/v1/settings/membership')) });

const useInvalidateMembership = () => {
  const queryClient = useQueryClient();
  return () => queryClient.invalidateQueries({ queryKey: membershipKeys.all });
};

export const useSaveMembershipSettings = () => {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (settings: MembershipSettings) => unwrap(api.PUT('/api/v1/settings/membership', { body: settings })),
    onSuccess: (saved) => {
      queryClient.setQueryData(membershipKeys.settings, saved);
      void queryClient.invalidateQueries({ queryKey: membershipKeys.all });
    },
  });
};

export const useSaveTier = () => {
  const invalidate = useInvalidateMembership();
  return useMutation({
    mutationFn: ({ id, input }: { id: string | null; input: TierInput }) =>
      id
        ? unwrap(api.PUT('/api/v1/membership/tiers/{id}', { params: { path: { id } }, body: input }))
        : unwrap(api.POST('/api/v1/membership/tiers', { body: input })),
    onSuccess: () => invalidate(),
  });
};

export const useArchiveTier = () => {
  const invalidate = useInvalidateMembership();
  return useMutation({
    mutationFn: (id: string) => expectNoContent(api.DELETE('/api/v1/membership/tiers/{id}', { params: { path: { id } } })),
    onSuccess: () => invalidate(),
  });
};

export const useReorderTiers = () => {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (tierIds: string[]) => unwrap(api.PUT('/api/v1/membership/tier-order', { body: { tierIds } })),
    onSuccess: (result) => queryClient.setQueryData(membershipKeys.tiers, result),
  });
};

export const useCustomerMembership = (customerId: string) =>
  useQuery({
    queryKey: membershipKeys.customer(customerId),
    queryFn: () => unwrap(api.GET('/api/v1/customers/{id}/membership', { params: { path: { id: customerId } } })),
  });

export const useChangeTier = (customerId: string) => {
  const invalidate = useInvalidateMembership();
  return useMutation({
    mutationFn: (input: ManualTierChange) =>
      unwrap(api.POST('/api/v1/customers/{id}/membership/tier-changes', { params: { path: { id: customerId } }, body: input })),
    onSuccess: () => invalidate(),
  });
};
