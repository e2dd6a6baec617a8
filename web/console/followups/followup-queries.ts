import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, unwrap } from '../../shared/api';
import type { paths } from '../../shared/api-types';

type JsonContent<Response> = Response extends { content: { 'application/json': infer Body } } ? Body : never;
type JsonRequestBody<Operation> = Operation extends { requestBody?: { content: { 'application/json': infer Body } } } ? Body : never;

export type TaskPage = JsonContent<paths['/api/v1/followup-tasks']['get']['responses'][200]>;
export type FollowupTask = TaskPage['items'][number];
export type TaskQuery = NonNullable<paths['/api/v1/followup-tasks']['get']['parameters']['query']>;
export type Outcome = NonNullable<FollowupTask['outcome']>;
export type FollowupRule = JsonContent<paths['/api/v1/followup-rules']['get']['responses'][200]>['items'][number];
export type RuleInput = JsonRequestBody<paths['/api/v1/followup-rules']['post']>;

export const outcomes = ['reached', 'no_answer', 'booked', 'declined', 'wrong_number'] as const satisfies readonly Outcome[];

const keys = {
  tasks: (query: TaskQuery) => ['followups', 'tasks', query] as const,
  rules: ['followups', 'rules'] as const,
};

export const useFollowupTasks = (query: TaskQuery) =>
  useQuery({ queryKey: keys.tasks(query), queryFn: () => unwrap(api.GET('/api/v1/followup-tasks', { params: { query } })), placeholderData: keepPreviousData });

const useInvalidateTasks = () => {
  const queryClient = useQueryClient();
  return () => queryClient.invalidateQueries({ queryKey: ['followups', 'tasks'] });
};

export const useRecordOutcome = () => {
  const invalidate = useInvalidateTasks();
  return useMutation({
    mutationFn: (input: { id: string; outcome: Outcome; note: string | null; retryOn: string | null }) =>
      unwrap(
        api.POST('/api/v1/followup-tasks/{id}/outcome', {
          params: { path: { id: input.id } },
          body: { outcome: input.outcome, note: input.note, retryOn: input.retryOn },
        }),
      ),
    onSuccess: invalidate,
  });
};

export const useMoveTask = () => {
  const invalidate = useInvalidateTasks();
  return useMutation({
    mutationFn: (input: { id: string; dueDate?: string; assigneeId?: string | null }) =>
      unwrap(
        api.PATCH('/api/v1/followup-tasks/{id}', {
          params: { path: { id: input.id } },
          body: { ...(input.dueDate ? { dueDate: input.dueDate } : {}), ...(input.assigneeId !== undefined ? { assigneeId: input.assigneeId } : {}) },
        }),
      ),
    onSuccess: invalidate,
  });
};

export const useAddTask = () => {
  const invalidate = useInvalidateTasks();
  return useMutation({
    mutationFn: (body: { customerId: string; dueDate: string; title: string; channel: 'call' | 'wechat' | 'sms' }) =>
      unwrap(api.POST('/api/v1/followup-tasks', { body })),
    onSuccess: invalidate,
  });
};

export const useFollowupRules = () => useQuery({ queryKey: keys.rules, queryFn: () => unwrap(api.GET('/api/v1/followup-rules')) });

export const useSaveRule = () => {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, body }: { id: string | null; body: RuleInput }) =>
      id ? unwrap(api.PUT('/api/v1/followup-rules/{id}', { params: { path: { id } }, body })) : unwrap(api.POST('/api/v1/followup-rules', { body })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['followups'] }),
  });
};

export type RelationshipReport = JsonContent<paths['/api/v1/followup-relationship']['get']['responses'][200]>;

export const useRelationshipReport = (month: string, minSpendFen: number) =>
  useQuery({
    queryKey: ['followups', 'relationship', month, minSpendFen],
    queryFn: () => unwrap(api.GET('/api/v1/followup-relationship', { params: { query: { month, minSpendFen } } })),
    placeholderData: keepPreviousData,
  });
