import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, expectNoContent, unwrap } from '../../shared/api';
import type { ClinicHolidayInput, PointsAdjustmentInput, PointsPreviewInput, PointsSettingsInput } from '../../shared/api-models';

export const pointsKeys = {
  all: ['points'] as const,
  customer: (customerId: string) => ['points', 'customer', customerId] as const,
  entry: (entryId: string) => ['points', 'entry', entryId] as const,
  settings: ['settings', 'points'] as const,
  preview: (input: PointsPreviewInput) => ['points', 'preview', input] as const,
  previews: ['points', 'preview'] as const,
  holidays: (year: number) => ['settings', 'points', 'holidays', year] as const,
};

/** Balance by state, lots and history of one customer; `alwaysFresh` refetches on every mount (the desk, where points just moved). */
export const useCustomerPoints = (customerId: string | undefined, { enabled = true, alwaysFresh = false } = {}) =>
  useQuery({
    queryKey: pointsKeys.customer(customerId ?? ''),
    queryFn: () => unwrap(api.GET('/api/v1/customers/{id}/points', { params: { path: { id: customerId ?? '' } } })),
    enabled: enabled && customerId !== undefined,
    ...(alwaysFresh ? { staleTime: 0 } : {}),
  });

/** One entry explained: its reason and the lots it moved. */
export const usePointsEntry = (entryId: string, enabled: boolean) =>
  useQuery({
    queryKey: pointsKeys.entry(entryId),
    queryFn: () => unwrap(api.GET('/api/v1/points/entries/{id}', { params: { path: { id: entryId } } })),
    enabled,
  });

export const useAdjustPoints = (customerId: string) => {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ input, idempotencyKey }: { input: PointsAdjustmentInput; idempotencyKey: string }) =>
      unwrap(
        api.POST('/api/v1/customers/{id}/points/adjustments', {
          params: { path: { id: customerId } },
          body: input,
          headers: { 'Idempotency-Key': idempotencyKey },
        }),
      ),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: pointsKeys.customer(customerId) }),
  });
};

/** One catalogue item by id, e.g. to name the item a saved multiplier rule points at. */
export const useCatalogItem = (itemId: string | undefined) =>
  useQuery({
    // Under the catalogue's key, so a change to the item refreshes its name here too.
    queryKey: ['catalog', 'item', itemId ?? ''] as const,
    queryFn: () => unwrap(api.GET('/api/v1/items/{id}', { params: { path: { id: itemId ?? '' } } })),
    enabled: itemId !== undefined,
    staleTime: 60_000,
  });

export const usePointsSettings = (enabled = true) =>
  useQuery({ queryKey: pointsKeys.settings, queryFn: () => unwrap(api.GET('/api/v1/settings/points')), enabled });

export const useSavePointsSettings = () => {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (settings: PointsSettingsInput) => unwrap(api.PUT('/api/v1/settings/points', { body: settings })),
    onSuccess: (saved) => queryClient.setQueryData(pointsKeys.settings, saved),
  });
};

/** Replays recent payments under proposed rules, before saving them. */
export const usePointsImpact = () =>
  useMutation({ mutationFn: (settings: PointsSettingsInput) => unwrap(api.POST('/api/v1/settings/points/impact', { body: settings })) });

/** What an order would earn; a POST without side effects, so it is a query keyed by its input. */
export const usePointsPreview = (input: PointsPreviewInput | undefined) =>
  useQuery({
    queryKey: pointsKeys.preview(input ?? { amountFen: 0, date: '' }),
    queryFn: () => unwrap(api.POST('/api/v1/points/preview', { body: input as PointsPreviewInput })),
    enabled: input !== undefined,
    placeholderData: keepPreviousData,
    retry: false,
  });

/** 节假日日历: a year's national holidays and make-up workdays merged with the clinic's own days. */
export const useHolidayCalendar = (year: number) =>
  useQuery({
    queryKey: pointsKeys.holidays(year),
    queryFn: () => unwrap(api.GET('/api/v1/settings/points/holidays', { params: { query: { year } } })),
    placeholderData: keepPreviousData,
  });

/** A clinic's own holiday, or a national holiday it does not keep; the preview follows. */
export const usePutClinicHoliday = () => {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ day, input }: { day: string; input: ClinicHolidayInput }) =>
      unwrap(api.PUT('/api/v1/settings/points/holidays/{day}', { params: { path: { day } }, body: input })),
    onSuccess: async (saved) => {
      await queryClient.invalidateQueries({ queryKey: pointsKeys.holidays(Number(saved.day.slice(0, 4))) });
      await queryClient.invalidateQueries({ queryKey: pointsKeys.previews });
    },
  });
};

export const useRemoveClinicHoliday = () => {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id }: { id: string; year: number }) => expectNoContent(api.DELETE('/api/v1/settings/points/holidays/{id}', { params: { path: { id } } })),
    onSuccess: async (_, { year }) => {
      await queryClient.invalidateQueries({ queryKey: pointsKeys.holidays(year) });
      await queryClient.invalidateQueries({ queryKey: pointsKeys.previews });
    },
  });
};
