import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, unwrap } from '../../shared/api';
import type { paths } from '../../shared/api-types';

type JsonContent<Response> = Response extends { content: { 'application/json': infer Body } } ? Body : never;
type JsonRequestBody<Operation> = Operation extends { requestBody?: { content: { 'application/json': infer Body } } } ? Body : never;

export type Distribution = JsonContent<paths['/api/v1/voucher-distributions']['get']['responses'][200]>['items'][number];
export type DistributionDetail = JsonContent<paths['/api/v1/voucher-distributions/{id}']['get']['responses'][200]>;
export type DistributionInput = JsonRequestBody<paths['/api/v1/voucher-distributions']['post']>;
export type DistributionCreated = JsonContent<paths['/api/v1/voucher-distributions']['post']['responses'][201]>;
export type DistributionKind = Distribution['kind'];
export type DistributionStatus = Distribution['status'];
export type AudienceInput = JsonRequestBody<paths['/api/v1/voucher-distributions/audience-preview']['post']>['audience'];
export type AudienceFilter = Extract<AudienceInput, { kind: 'filter' }>['filter'];
export type AudiencePreview = JsonContent<paths['/api/v1/voucher-distributions/audience-preview']['post']['responses'][200]>;
/** A distribution's run as a background job; `result` holds the run's counts (final once succeeded). */
export type DistributionJob = JsonContent<paths['/api/v1/voucher-distributions/{id}/run']['post']['responses'][202]>['job'];
export type RunResult = NonNullable<DistributionJob['result']>;
export type VoucherStats = JsonContent<paths['/api/v1/voucher-stats']['get']['responses'][200]>;
export type VoucherFigures = VoucherStats['totals'];
export type StatsQuery = NonNullable<paths['/api/v1/voucher-stats']['get']['parameters']['query']>;
export type DistributionSettings = JsonContent<paths['/api/v1/settings/voucher-distribution']['get']['responses'][200]>;

export const distributionKinds = ['registration', 'periodic', 'claim_link', 'share', 'operations', 'batch'] as const satisfies readonly DistributionKind[];
export const distributionStatuses = ['active', 'scheduled', 'done', 'cancelled'] as const satisfies readonly DistributionStatus[];

/** Distributions and statistics move when vouchers are issued, so both sit under `vouchers`. */
export const distributionKeys = {
  all: ['vouchers', 'distributions'] as const,
  list: (kind: DistributionKind | undefined) => ['vouchers', 'distributions', 'list', kind ?? 'all'] as const,
  detail: (id: string) => ['vouchers', 'distributions', 'detail', id] as const,
  stats: (query: StatsQuery) => ['vouchers', 'stats', query] as const,
  settings: ['settings', 'voucher-distribution'] as const,
};

export const useDistributions = (kind?: DistributionKind) =>
  useQuery({
    queryKey: distributionKeys.list(kind),
    queryFn: () => unwrap(api.GET('/api/v1/voucher-distributions', { params: { query: kind ? { kind } : {} } })),
  });

/** One distribution with its claim link's full URL and QR (SVG). */
export const useDistribution = (id: string | null) =>
  useQuery({
    queryKey: distributionKeys.detail(id ?? ''),
    queryFn: () => unwrap(api.GET('/api/v1/voucher-distributions/{id}', { params: { path: { id: id ?? '' } } })),
    enabled: id !== null,
  });

/** Vouchers went into wallets: refresh distributions, templates (stock), statistics and any open wallet. */
const useInvalidateIssued = () => {
  const queryClient = useQueryClient();
  return () => Promise.all([queryClient.invalidateQueries({ queryKey: ['vouchers'] }), queryClient.invalidateQueries({ queryKey: ['customers'] })]);
};

export const useCreateDistribution = () => {
  const invalidate = useInvalidateIssued();
  return useMutation({
    mutationFn: ({ input, idempotencyKey }: { input: DistributionInput; idempotencyKey: string }) =>
      unwrap(api.POST('/api/v1/voucher-distributions', { body: input, headers: { 'Idempotency-Key': idempotencyKey } })),
    onSuccess: invalidate,
  });
};

/** How many customers an audience names now; nothing is issued. */
export const useAudiencePreview = () =>
  useMutation({ mutationFn: (audience: AudienceInput) => unwrap(api.POST('/api/v1/voucher-distributions/audience-preview', { body: { audience } })) });

export const useRunDistribution = () => {
  const invalidate = useInvalidateIssued();
  return useMutation({
    mutationFn: ({ id, idempotencyKey }: { id: string; idempotencyKey: string }) =>
      unwrap(api.POST('/api/v1/voucher-distributions/{id}/run', { params: { path: { id } }, body: {}, headers: { 'Idempotency-Key': idempotencyKey } })),
    onSuccess: invalidate,
  });
};

const isUnfinished = (job: { status: DistributionJob['status'] } | undefined) => job?.status === 'queued' || job?.status === 'running';

/**
 * Follows a run job until it ends (polling GET /jobs/{id} about once a second), then refreshes
 * what the vouchers issued changed: distributions, templates' stock, statistics, wallets.
 */
export const useDistributionJob = (started: DistributionJob | null) => {
  const invalidate = useInvalidateIssued();
  return useQuery({
    queryKey: ['jobs', started?.id ?? ''],
    queryFn: async () => {
      const job = (await unwrap(api.GET('/api/v1/jobs/{id}', { params: { path: { id: started?.id ?? '' } } }))) as DistributionJob;
      if (!isUnfinished(job)) await invalidate();
      return job;
    },
    enabled: started !== null,
    initialData: started ?? undefined,
    initialDataUpdatedAt: 0,
    refetchInterval: (query) => (isUnfinished(query.state.data) ? 800 : false),
  });
};

export const useCancelDistribution = () => {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => unwrap(api.POST('/api/v1/voucher-distributions/{id}/cancel', { params: { path: { id } }, body: {} })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: distributionKeys.all }),
  });
};

export const useVoucherStats = (query: StatsQuery) =>
  useQuery({
    queryKey: distributionKeys.stats(query),
    queryFn: () => unwrap(api.GET('/api/v1/voucher-stats', { params: { query } })),
    placeholderData: keepPreviousData,
  });

/** The CSV export's address: a plain link, so the browser downloads it with the session cookie. */
export const statsCsvUrl = (query: StatsQuery) => {
  const params = new URLSearchParams(Object.entries(query).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
  return `/api/v1/voucher-stats.csv?${params.toString()}`;
};

export const useDistributionSettings = () =>
  useQuery({ queryKey: distributionKeys.settings, queryFn: () => unwrap(api.GET('/api/v1/settings/voucher-distribution')) });

export const useSaveDistributionSettings = () => {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: DistributionSettings) => unwrap(api.PUT('/api/v1/settings/voucher-distribution', { body: input })),
    onSuccess: (data) => queryClient.setQueryData(distributionKeys.settings, data),
  });
};
