import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, unwrap } from '../../shared/api';
import type { paths } from '../../shared/api-types';

type JsonContent<Response> = Response extends { content: { 'application/json': infer Body } } ? Body : never;
type JsonRequestBody<Operation> = Operation extends { requestBody?: { content: { 'application/json': infer Body } } } ? Body : never;

export type CampaignPage = JsonContent<paths['/api/v1/followup-campaigns']['get']['responses'][200]>;
export type Campaign = CampaignPage['items'][number];
export type CampaignDetail = JsonContent<paths['/api/v1/followup-campaigns/{id}']['get']['responses'][200]>;
export type CampaignInput = JsonRequestBody<paths['/api/v1/followup-campaigns']['post']>;
export type CampaignPreviewInput = JsonRequestBody<paths['/api/v1/followup-campaigns/preview']['post']>;
export type CampaignPreview = JsonContent<paths['/api/v1/followup-campaigns/preview']['post']['responses'][200]>;

/** While its tasks are being made the figures move: look again every 2 seconds. */
const whileAssigning = (isAssigning: boolean | undefined) => (isAssigning ? 2000 : false);

export const useCampaigns = (page: number) =>
  useQuery({
    queryKey: ['followups', 'campaigns', page],
    queryFn: () => unwrap(api.GET('/api/v1/followup-campaigns', { params: { query: { page, pageSize: 20 } } })),
    placeholderData: keepPreviousData,
    refetchInterval: (query) => whileAssigning(query.state.data?.items.some((campaign) => campaign.isAssigning)),
  });

export const useCampaign = (id: string | null) =>
  useQuery({
    queryKey: ['followups', 'campaign', id],
    queryFn: () => unwrap(api.GET('/api/v1/followup-campaigns/{id}', { params: { path: { id: id ?? '' } } })),
    enabled: id !== null,
    refetchInterval: (query) => whileAssigning(query.state.data?.isAssigning),
  });

export const useCampaignPreview = () =>
  useMutation({ mutationFn: (body: CampaignPreviewInput) => unwrap(api.POST('/api/v1/followup-campaigns/preview', { body })) });

export const useCreateCampaign = () => {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ body, idempotencyKey }: { body: CampaignInput; idempotencyKey: string }) =>
      unwrap(api.POST('/api/v1/followup-campaigns', { body, headers: { 'Idempotency-Key': idempotencyKey } })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['followups'] }),
  });
};

export const useCancelCampaign = () => {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => unwrap(api.POST('/api/v1/followup-campaigns/{id}/cancel', { params: { path: { id } }, body: {} })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['followups'] }),
  });
};
