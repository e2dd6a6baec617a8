import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, unwrap } from '../../shared/api';
import type { DayReopenInput, ShiftCloseInput, ShiftQuery } from '../../shared/api-models';

export const shiftKeys = {
  all: ['shift-close'] as const,
  totals: (query: ShiftQuery) => ['shift-close', query] as const,
};

/** 交班 / 日结 figures of a store's day, for one cashier or the whole store. */
export const useShiftTotals = (query: ShiftQuery | undefined) =>
  useQuery({
    queryKey: shiftKeys.totals(query ?? { storeId: '' }),
    queryFn: () => unwrap(api.GET('/api/v1/shift-close', { params: { query: query ?? { storeId: '' } } })),
    enabled: Boolean(query?.storeId),
  });

export const useCloseShift = () => {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: ShiftCloseInput) => unwrap(api.POST('/api/v1/shift-closes', { body: input })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: shiftKeys.all }),
  });
};

/** 重新开账: withdraws a store's 日结 (with the reason, audited) so the day takes writes again. */
export const useReopenDay = () => {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: DayReopenInput) => unwrap(api.POST('/api/v1/shift-closes/reopen', { body: input })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: shiftKeys.all }),
  });
};
