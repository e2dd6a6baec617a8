import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, unwrap } from '../../shared/api';
import type { paths } from '../../shared/api-types';

type JsonContent<Response> = Response extends { content: { 'application/json': infer Body } } ? Body : never;

export type MessageLogPage = JsonContent<paths['/api/v1/messages']['get']['responses'][200]>;
export type MessageRow = MessageLogPage['items'][number];
export type MessageLogQuery = NonNullable<paths['/api/v1/messages']['get']['parameters']['query']>;
export type MessageTopic = JsonContent<paths['/api/v1/message-topics']['get']['responses'][200]>['items'][number];
export type TopicChannel = MessageTopic['channels'][number];
export type MessagingSettings = JsonContent<paths['/api/v1/settings/messaging']['get']['responses'][200]>;
export type MessageAutomations = JsonContent<paths['/api/v1/settings/message-automations']['get']['responses'][200]>;
export type MessagingStatus = JsonContent<paths['/api/v1/messaging/status']['get']['responses'][200]>;
export type ProviderKeysAnswer = JsonContent<paths['/api/v1/messaging/provider-keys']['get']['responses'][200]>;
export type ProviderKeys = ProviderKeysAnswer['items'][number];
export type Consents = JsonContent<paths['/api/v1/customers/{id}/consents']['get']['responses'][200]>;
export type Suppression = JsonContent<paths['/api/v1/message-suppressions']['get']['responses'][200]>['items'][number];

export const messageStatuses = ['queued', 'sending', 'sent', 'delivered', 'failed', 'suppressed', 'unknown'] as const satisfies readonly NonNullable<
  MessageLogQuery['status']
>[];

export const messageKeys = {
  all: ['messages'] as const,
  log: (query: MessageLogQuery) => ['messages', 'log', query] as const,
  topics: ['messages', 'topics'] as const,
  settings: ['settings', 'messaging'] as const,
  automations: ['settings', 'message-automations'] as const,
  status: ['messages', 'status'] as const,
  providerKeys: ['messages', 'provider-keys'] as const,
  consents: (customerId: string) => ['messages', 'consents', customerId] as const,
  suppressions: (page: number) => ['messages', 'suppressions', page] as const,
};

export const useMessageLog = (query: MessageLogQuery) =>
  useQuery({
    queryKey: messageKeys.log(query),
    queryFn: () => unwrap(api.GET('/api/v1/messages', { params: { query } })),
    placeholderData: keepPreviousData,
  });

export const useMessageTopics = () => useQuery({ queryKey: messageKeys.topics, queryFn: () => unwrap(api.GET('/api/v1/message-topics')) });

export const useSaveTemplate = () => {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: { topic: string; channel: TopicChannel['channel']; body: string; providerTemplateCode: string | null; isEnabled: boolean }) =>
      unwrap(
        api.PUT('/api/v1/message-templates/{topic}/{channel}', {
          params: { path: { topic: input.topic, channel: input.channel } },
          body: { body: input.body, providerTemplateCode: input.providerTemplateCode, isEnabled: input.isEnabled },
        }),
      ),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: messageKeys.topics }),
  });
};

export const usePreviewTemplate = () =>
  useMutation({
    mutationFn: (input: { topic: string; channel: TopicChannel['channel']; body: string; customerId: string }) =>
      unwrap(
        api.POST('/api/v1/message-templates/{topic}/{channel}/preview', {
          params: { path: { topic: input.topic, channel: input.channel } },
          body: { body: input.body, customerId: input.customerId },
        }),
      ),
  });

export const useMessagingSettings = () => useQuery({ queryKey: messageKeys.settings, queryFn: () => unwrap(api.GET('/api/v1/settings/messaging')) });

export const useSaveMessagingSettings = () => {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: MessagingSettings) => unwrap(api.PUT('/api/v1/settings/messaging', { body })),
    onSuccess: (saved) => {
      queryClient.setQueryData(messageKeys.settings, saved);
      return queryClient.invalidateQueries({ queryKey: messageKeys.status });
    },
  });
};

export const useMessageAutomations = () =>
  useQuery({ queryKey: messageKeys.automations, queryFn: () => unwrap(api.GET('/api/v1/settings/message-automations')) });

export const useSaveMessageAutomations = () => {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: MessageAutomations) => unwrap(api.PUT('/api/v1/settings/message-automations', { body })),
    // The server keeps when the welcome was switched on: read it back rather than trust what was sent.
    onSuccess: () => queryClient.invalidateQueries({ queryKey: messageKeys.automations }),
  });
};

/** How many messages of a topic were written since an instant (the log's total). */
export const useTopicCount = (topic: string, createdFrom: string) =>
  useQuery({
    queryKey: messageKeys.log({ topic, createdFrom, pageSize: 1 }),
    queryFn: () => unwrap(api.GET('/api/v1/messages', { params: { query: { topic, createdFrom, pageSize: 1 } } })),
    select: (page) => page.total,
  });

export const useMessagingStatus = (isEnabled: boolean) =>
  useQuery({ queryKey: messageKeys.status, queryFn: () => unwrap(api.GET('/api/v1/messaging/status')), enabled: isEnabled });

export const useConsents = (customerId: string) =>
  useQuery({
    queryKey: messageKeys.consents(customerId),
    queryFn: () => unwrap(api.GET('/api/v1/customers/{id}/consents', { params: { path: { id: customerId } } })),
  });

export const useSaveConsents = (customerId: string) => {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: Consents) => unwrap(api.PUT('/api/v1/customers/{id}/consents', { params: { path: { id: customerId } }, body })),
    onSuccess: (saved) => queryClient.setQueryData(messageKeys.consents(customerId), saved),
  });
};

export const useSuppressions = (page: number) =>
  useQuery({
    queryKey: messageKeys.suppressions(page),
    queryFn: () => unwrap(api.GET('/api/v1/message-suppressions', { params: { query: { page, pageSize: 20 } } })),
    placeholderData: keepPreviousData,
  });

export const useAddSuppression = () => {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: { phone: string; note: string | null }) => unwrap(api.POST('/api/v1/message-suppressions', { body })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['messages', 'suppressions'] }),
  });
};

export const useRemoveSuppression = () => {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (phone: string) => unwrap(api.DELETE('/api/v1/message-suppressions/{phone}', { params: { path: { phone } } })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['messages', 'suppressions'] }),
  });
};

type JsonRequestBody<Operation> = Operation extends { requestBody?: { content: { 'application/json': infer Body } } } ? Body : never;
export type Campaign = JsonContent<paths['/api/v1/message-campaigns/{id}']['get']['responses'][200]>;
export type CampaignInput = JsonRequestBody<paths['/api/v1/message-campaigns']['post']>;
export type CampaignPreviewInput = JsonRequestBody<paths['/api/v1/message-campaigns/preview']['post']>;
export type CampaignPreview = JsonContent<paths['/api/v1/message-campaigns/preview']['post']['responses'][200]>;
export type CampaignCreated = JsonContent<paths['/api/v1/message-campaigns']['post']['responses'][201]>;

const campaignKeys = {
  all: ['messages', 'campaigns'] as const,
  page: (page: number) => ['messages', 'campaigns', 'page', page] as const,
  one: (id: string) => ['messages', 'campaigns', 'one', id] as const,
};

const isRunning = (campaign: Campaign | undefined) =>
  campaign !== undefined &&
  (campaign.status === 'sending' || campaign.job?.status === 'queued' || campaign.job?.status === 'running' || campaign.results.queued > 0);

export const useCampaigns = (page: number) =>
  useQuery({
    queryKey: campaignKeys.page(page),
    queryFn: () => unwrap(api.GET('/api/v1/message-campaigns', { params: { query: { page, pageSize: 20 } } })),
    placeholderData: keepPreviousData,
    // While one is sending, its figures move: follow them.
    refetchInterval: (query) => (query.state.data?.items.some((campaign) => campaign.status === 'sending') ? 1500 : false),
  });

/** One campaign, followed about once a second while its run goes. */
export const useCampaign = (id: string | null) =>
  useQuery({
    queryKey: campaignKeys.one(id ?? ''),
    queryFn: () => unwrap(api.GET('/api/v1/message-campaigns/{id}', { params: { path: { id: id ?? '' } } })),
    enabled: id !== null,
    refetchInterval: (query) => (isRunning(query.state.data) ? 1000 : false),
  });

export const useCampaignPreview = () =>
  useMutation({ mutationFn: (input: CampaignPreviewInput) => unwrap(api.POST('/api/v1/message-campaigns/preview', { body: input })) });

export const useCreateCampaign = () => {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ input, idempotencyKey }: { input: CampaignInput; idempotencyKey: string }) =>
      unwrap(api.POST('/api/v1/message-campaigns', { body: input, headers: { 'Idempotency-Key': idempotencyKey } })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: messageKeys.all }),
  });
};

export const useCancelCampaign = () => {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => unwrap(api.POST('/api/v1/message-campaigns/{id}/cancel', { params: { path: { id } }, body: {} })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: messageKeys.all }),
  });
};

export const useProviderKeys = () => useQuery({ queryKey: messageKeys.providerKeys, queryFn: () => unwrap(api.GET('/api/v1/messaging/provider-keys')) });

/** Saving or clearing keys changes which providers the channel may use: the status is read again. */
const afterKeysChange = (queryClient: ReturnType<typeof useQueryClient>, answer: ProviderKeysAnswer) => {
  queryClient.setQueryData(messageKeys.providerKeys, answer);
  return queryClient.invalidateQueries({ queryKey: messageKeys.status });
};

export const useSaveProviderKeys = () => {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: { provider: ProviderKeys['provider']; accessKey: string; secret: string }) =>
      unwrap(
        api.PUT('/api/v1/messaging/provider-keys/{provider}', {
          params: { path: { provider: input.provider } },
          body: { accessKey: input.accessKey, secret: input.secret },
        }),
      ),
    onSuccess: (answer) => afterKeysChange(queryClient, answer),
  });
};

export const useClearProviderKeys = () => {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (provider: ProviderKeys['provider']) => unwrap(api.DELETE('/api/v1/messaging/provider-keys/{provider}', { params: { path: { provider } } })),
    onSuccess: (answer) => afterKeysChange(queryClient, answer),
  });
};
