import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, unwrap } from '../../shared/api';
import type { VisitInput, VisitsQuery, VisitType } from '../../shared/api-models';
import { customerKeys } from '../customers/customer-queries';

export const visitKeys = {
  all: ['visits'] as const,
  list: (query: VisitsQuery) => ['visits', 'list', query] as const,
  proposal: (customerId: string) => ['visits', 'proposal', customerId] as const,
};

export const useVisits = (query: VisitsQuery, options: { enabled?: boolean } = {}) =>
  useQuery({
    queryKey: visitKeys.list(query),
    queryFn: () => unwrap(api.GET('/api/v1/visits', { params: { query } })),
    enabled: options.enabled ?? true,
  });

/** The type the system proposes for an arrival now: always fresh, the customer's history may have changed a minute ago. */
export const useVisitProposal = (customerId: string | undefined) =>
  useQuery({
    queryKey: visitKeys.proposal(customerId ?? ''),
    queryFn: () => unwrap(api.GET('/api/v1/customers/{id}/visit-proposal', { params: { path: { id: customerId ?? '' } } })),
    enabled: Boolean(customerId),
    staleTime: 0,
  });

/** A visit changes the desk, the customer's last visit type, and the type of the day's orders. */
const useInvalidateVisits = () => {
  const queryClient = useQueryClient();
  return () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: visitKeys.all }),
      queryClient.invalidateQueries({ queryKey: ['appointments'] }),
      queryClient.invalidateQueries({ queryKey: customerKeys.all }),
    ]);
};

export const useRegisterVisit = () => {
  const invalidate = useInvalidateVisits();
  return useMutation({
    mutationFn: (input: VisitInput) => unwrap(api.POST('/api/v1/visits', { body: input })),
    onSuccess: invalidate,
  });
};

export const useChangeVisitType = () => {
  const invalidate = useInvalidateVisits();
  return useMutation({
    mutationFn: ({ id, visitType }: { id: string; visitType: VisitType }) =>
      unwrap(api.PATCH('/api/v1/visits/{id}', { params: { path: { id } }, body: { visitType } })),
    onSuccess: invalidate,
  });
};
