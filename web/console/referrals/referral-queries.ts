import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, unwrap } from '../../shared/api';
import type { paths } from '../../shared/api-types';

type Json<Response> = Response extends { content: { 'application/json': infer Body } } ? Body : never;

export type ReferralSettings = Json<paths['/api/v1/settings/referrals']['get']['responses'][200]>;
export type PartnerLevel = ReferralSettings['partnerLevels'][number];
export type ReferralReport = Json<paths['/api/v1/referrals/report']['get']['responses'][200]>;
export type ReferralReportRow = ReferralReport['referrers'][number];
export type CustomerReferrals = Json<paths['/api/v1/customers/{id}/referrals']['get']['responses'][200]>;
export type ReferralRewardView = CustomerReferrals['rewards'][number];
export type ReferralCode = Json<paths['/api/v1/customers/{id}/referral-code']['get']['responses'][200]>;
export type ReportQuery = { from: string; to: string };
export type VoucherTemplateOption = { id: string; name: string; title: string; isActive: boolean };

export const referralKeys = {
  settings: ['settings', 'referrals'] as const,
  report: (query: ReportQuery) => ['referrals', 'report', query] as const,
  /** Under 'customers', so any customer write (a new referrer, an order) refreshes it. */
  ofCustomer: (customerId: string) => ['customers', customerId, 'referrals'] as const,
  code: (customerId: string) => ['customers', customerId, 'referral-code'] as const,
  templates: ['voucher-templates', 'referral-options'] as const,
};

export const useReferralSettings = () => useQuery({ queryKey: referralKeys.settings, queryFn: () => unwrap(api.GET('/api/v1/settings/referrals')) });

export const useSaveReferralSettings = () => {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (settings: ReferralSettings) => unwrap(api.PUT('/api/v1/settings/referrals', { body: settings })),
    onSuccess: async (saved) => {
      queryClient.setQueryData(referralKeys.settings, saved);
      await queryClient.invalidateQueries({ queryKey: ['referrals'] });
    },
  });
};

export const useReferralReport = (query: ReportQuery) =>
  useQuery({ queryKey: referralKeys.report(query), queryFn: () => unwrap(api.GET('/api/v1/referrals/report', { params: { query } })) });

/** The rewards ledger as CSV: a plain link, so the browser downloads it with the session cookie. */
export const rewardsCsvUrl = (query: ReportQuery) => `/api/v1/referrals/rewards.csv?${new URLSearchParams(query).toString()}`;

export const useCustomerReferrals = (customerId: string, options: { isEnabled: boolean }) =>
  useQuery({
    queryKey: referralKeys.ofCustomer(customerId),
    queryFn: () => unwrap(api.GET('/api/v1/customers/{id}/referrals', { params: { path: { id: customerId } } })),
    enabled: options.isEnabled,
  });

/** Her code, link and QR; the code is created on the first request, so only when staff ask for it. */
export const useReferralCode = (customerId: string, options: { isEnabled: boolean }) =>
  useQuery({
    queryKey: referralKeys.code(customerId),
    queryFn: () => unwrap(api.GET('/api/v1/customers/{id}/referral-code', { params: { path: { id: customerId } } })),
    enabled: options.isEnabled,
    staleTime: Number.POSITIVE_INFINITY,
  });

/** Voucher templates the rewards may give (needs vouchers.read; without it the pickers only show what is set). */
export const useRewardVoucherTemplates = (isEnabled: boolean) =>
  useQuery({
    queryKey: referralKeys.templates,
    queryFn: async (): Promise<VoucherTemplateOption[]> => {
      const data = await unwrap(api.GET('/api/v1/voucher-templates', { params: { query: { includeInactive: 'true' } } }));
      return data.items.map((template) => ({ id: template.id, name: template.name, title: template.title, isActive: template.isActive }));
    },
    enabled: isEnabled,
  });
