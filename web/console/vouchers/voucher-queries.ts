import { useIsMutating, useMutation, useQueries, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, unwrap } from '../../shared/api';
import type { paths } from '../../shared/api-types';

type JsonContent<Response> = Response extends { content: { 'application/json': infer Body } } ? Body : never;
type JsonRequestBody<Operation> = Operation extends { requestBody?: { content: { 'application/json': infer Body } } } ? Body : never;

export type VoucherTemplate = JsonContent<paths['/api/v1/voucher-templates']['get']['responses'][200]>['items'][number];
export type VoucherTemplateInput = JsonRequestBody<paths['/api/v1/voucher-templates']['post']>;
export type VoucherTemplatePatch = JsonRequestBody<paths['/api/v1/voucher-templates/{id}']['patch']>;
export type VoucherKind = VoucherTemplate['kind'];
export type VoucherChannel = VoucherTemplate['channels'][number];
export type CustomerVoucher = JsonContent<paths['/api/v1/customers/{id}/vouchers']['get']['responses'][200]>['items'][number];
export type WalletStatus = CustomerVoucher['status'];
export type VoucherSource = CustomerVoucher['source'];
export type VoucherDetail = JsonContent<paths['/api/v1/vouchers/{id}']['get']['responses'][200]>;
export type VoucherEvent = VoucherDetail['events'][number];
export type IssueInput = JsonRequestBody<paths['/api/v1/customers/{id}/vouchers']['post']>;
export type VoucherWithHolder = JsonContent<paths['/api/v1/voucher-codes/{code}']['get']['responses'][200]>;

export const voucherKinds = ['cash_off', 'discount', 'item', 'gift'] as const satisfies readonly VoucherKind[];
export const voucherChannels = ['store', 'mall'] as const satisfies readonly VoucherChannel[];
export const walletStatuses = ['available', 'used', 'expired', 'voided'] as const satisfies readonly WalletStatus[];

/**
 * A customer's wallet sits under `customers`, so anything that moves money (an order using a
 * voucher, a void or refund giving one back) refreshes it with the rest of her 360 page.
 */
export const voucherKeys = {
  templates: ['vouchers', 'templates'] as const,
  saveTemplate: ['vouchers', 'templates', 'save'] as const,
  templateList: (includeInactive: boolean) => ['vouchers', 'templates', includeInactive] as const,
  wallet: (customerId: string) => ['customers', customerId, 'vouchers'] as const,
  walletOf: (customerId: string, status: WalletStatus | undefined) => ['customers', customerId, 'vouchers', status ?? 'all'] as const,
  detail: (id: string) => ['vouchers', 'detail', id] as const,
  code: (code: string) => ['vouchers', 'code', code] as const,
};

export const useVoucherTemplates = (includeInactive = false) =>
  useQuery({
    queryKey: voucherKeys.templateList(includeInactive),
    queryFn: () => unwrap(api.GET('/api/v1/voucher-templates', { params: { query: includeInactive ? { includeInactive: 'true' } : {} } })),
  });

/** 新建 or 编辑: vouchers issued from now on follow the template; those already issued keep theirs. */
export const useSaveVoucherTemplate = () => {
  const queryClient = useQueryClient();
  return useMutation({
    mutationKey: voucherKeys.saveTemplate,
    mutationFn: ({ id, input }: { id: string | null; input: VoucherTemplateInput }) =>
      id
        ? unwrap(api.PATCH('/api/v1/voucher-templates/{id}', { params: { path: { id } }, body: input }))
        : unwrap(api.POST('/api/v1/voucher-templates', { body: input })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: voucherKeys.templates }),
  });
};

/** A template is being saved (the drawer's 保存 button shows it). */
export const useIsSavingTemplate = () => useIsMutating({ mutationKey: voucherKeys.saveTemplate }) > 0;

export const useToggleVoucherTemplate = () => {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, isActive }: { id: string; isActive: boolean }) =>
      unwrap(api.PATCH('/api/v1/voucher-templates/{id}', { params: { path: { id } }, body: { isActive } })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: voucherKeys.templates }),
  });
};

/** 券包: all her vouchers, or those of one status (the desk asks for the available ones). */
export const useCustomerVouchers = (customerId: string | undefined, status?: WalletStatus, options: { enabled?: boolean } = {}) =>
  useQuery({
    queryKey: voucherKeys.walletOf(customerId ?? '', status),
    queryFn: () => unwrap(api.GET('/api/v1/customers/{id}/vouchers', { params: { path: { id: customerId ?? '' }, query: status ? { status } : {} } })),
    enabled: Boolean(customerId) && (options.enabled ?? true),
    // Another desk may use one of her vouchers at any time.
    staleTime: 5_000,
  });

/** 赠券: issuing changes her wallet and the template's stock. */
export const useIssueVoucher = (customerId: string) => {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ input, idempotencyKey }: { input: IssueInput; idempotencyKey: string }) =>
      unwrap(
        api.POST('/api/v1/customers/{id}/vouchers', { params: { path: { id: customerId } }, body: input, headers: { 'Idempotency-Key': idempotencyKey } }),
      ),
    onSuccess: () =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: voucherKeys.wallet(customerId) }),
        queryClient.invalidateQueries({ queryKey: voucherKeys.templates }),
      ]),
  });
};

export const useVoidVoucher = (customerId: string) => {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, reason }: { id: string; reason: string }) =>
      unwrap(api.POST('/api/v1/vouchers/{id}/void', { params: { path: { id } }, body: { reason } })),
    onSuccess: (_data, { id }) =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: voucherKeys.wallet(customerId) }),
        queryClient.invalidateQueries({ queryKey: voucherKeys.detail(id) }),
      ]),
  });
};

/** One voucher with its history (issued, used, restored, voided). */
export const useVoucherDetail = (id: string | undefined) =>
  useQuery({
    queryKey: voucherKeys.detail(id ?? ''),
    queryFn: () => unwrap(api.GET('/api/v1/vouchers/{id}', { params: { path: { id: id ?? '' } } })),
    enabled: Boolean(id),
    staleTime: 0,
  });

/** 核销 lookup: the voucher behind a code and whose it is; always asked afresh. */
export const fetchVoucherByCode = (code: string) => unwrap(api.GET('/api/v1/voucher-codes/{code}', { params: { path: { code } } }));

/** 核销 of an item or gift voucher by its code; a second redemption of the same code is refused (409). */
export const useRedeemVoucherCode = () => {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ code, storeId, idempotencyKey }: { code: string; storeId: string; idempotencyKey: string }) =>
      unwrap(api.POST('/api/v1/voucher-redemptions', { body: { code, storeId }, headers: { 'Idempotency-Key': idempotencyKey } })),
    onSuccess: (result) => queryClient.invalidateQueries({ queryKey: voucherKeys.wallet(result.customer.id) }),
  });
};

/** Item names by id, for a template's scope (the preview and the pickers' labels); each item is asked once and cached. */
export const useItemNames = (ids: readonly string[]) => {
  const results = useQueries({
    queries: ids.map((id) => ({
      queryKey: ['catalog', 'item', id] as const,
      queryFn: () => unwrap(api.GET('/api/v1/items/{id}', { params: { path: { id } } })),
      staleTime: 5 * 60_000,
    })),
  });
  const names = new Map<string, string>();
  for (const result of results) if (result.data) names.set(result.data.id, result.data.name);
  return { names, isLoading: results.some((result) => result.isPending) };
};
