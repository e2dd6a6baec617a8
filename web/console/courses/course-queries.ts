import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, unwrap } from '../../shared/api';
import type { DeductionInput, DeductionsQuery, ReversalInput } from '../../shared/api-models';

export const courseKeys = {
  courses: (customerId: string) => ['courses', customerId] as const,
  deductions: (query: DeductionsQuery) => ['deductions', query] as const,
};

/** A customer's courses with remaining sessions. */
export const useCustomerCourses = (customerId: string | undefined) =>
  useQuery({
    queryKey: courseKeys.courses(customerId ?? ''),
    queryFn: () => unwrap(api.GET('/api/v1/customers/{id}/courses', { params: { path: { id: customerId ?? '' } } })),
    enabled: Boolean(customerId),
  });

export const useDeductions = (query: DeductionsQuery, enabled = true) =>
  useQuery({
    queryKey: courseKeys.deductions(query),
    queryFn: () => unwrap(api.GET('/api/v1/deductions', { params: { query } })),
    enabled,
  });

/**
 * A deduction changes remaining sessions, the deduction lists, the customer's tags and the day's
 * shift figures. Matches any query key naming them, so the customer 360 tabs refresh too.
 */
const touchedByDeduction = new Set(['courses', 'deductions', 'customers', 'shift-close']);

const useInvalidateCourses = () => {
  const queryClient = useQueryClient();
  return () =>
    queryClient.invalidateQueries({
      predicate: (query) => query.queryKey.some((part) => typeof part === 'string' && touchedByDeduction.has(part)),
    });
};

/** 划扣. */
export const useDeduct = () => {
  const invalidate = useInvalidateCourses();
  return useMutation({
    mutationFn: ({ courseItemId, input, idempotencyKey }: { courseItemId: string; input: DeductionInput; idempotencyKey: string }) =>
      unwrap(
        api.POST('/api/v1/course-items/{id}/deductions', {
          params: { path: { id: courseItemId } },
          body: input,
          headers: { 'Idempotency-Key': idempotencyKey },
        }),
      ),
    onSuccess: invalidate,
  });
};

/** 撤销划扣. */
export const useReverseDeduction = () => {
  const invalidate = useInvalidateCourses();
  return useMutation({
    mutationFn: ({ deductionId, input, idempotencyKey }: { deductionId: string; input: ReversalInput; idempotencyKey: string }) =>
      unwrap(
        api.POST('/api/v1/deductions/{id}/reversal', {
          params: { path: { id: deductionId } },
          body: input,
          headers: { 'Idempotency-Key': idempotencyKey },
        }),
      ),
    onSuccess: invalidate,
  });
};
