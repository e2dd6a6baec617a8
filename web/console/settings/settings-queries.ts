import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, unwrap } from '../../shared/api';
import type { ActivityThresholds, BookingSettings, DealRules, OrderSettings, PricingSettings } from '../../shared/api-models';
import { customerKeys } from '../customers/customer-queries';

export const settingsKeys = {
  dealRules: ['settings', 'deal-rules'] as const,
  activity: ['settings', 'activity'] as const,
  orders: ['settings', 'orders'] as const,
  pricing: ['settings', 'pricing'] as const,
  booking: ['settings', 'booking'] as const,
};

export const useDealRules = () => useQuery({ queryKey: settingsKeys.dealRules, queryFn: () => unwrap(api.GET('/api/v1/settings/deal-rules')) });
export const useActivityThresholds = () => useQuery({ queryKey: settingsKeys.activity, queryFn: () => unwrap(api.GET('/api/v1/settings/activity')) });
export const useOrderSettings = () => useQuery({ queryKey: settingsKeys.orders, queryFn: () => unwrap(api.GET('/api/v1/settings/orders')) });

export const useSaveDealRules = () => {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (rules: DealRules) => unwrap(api.PUT('/api/v1/settings/deal-rules', { body: rules })),
    onSuccess: (saved) => queryClient.setQueryData(settingsKeys.dealRules, saved),
  });
};

/** New thresholds re-sort members into new / active / sleeping / deep sleep, so customer lists refresh. */
export const useSaveActivityThresholds = () => {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (thresholds: ActivityThresholds) => unwrap(api.PUT('/api/v1/settings/activity', { body: thresholds })),
    onSuccess: async (saved) => {
      queryClient.setQueryData(settingsKeys.activity, saved);
      await queryClient.invalidateQueries({ queryKey: customerKeys.all });
    },
  });
};

export const useSaveOrderSettings = () => {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (settings: OrderSettings) => unwrap(api.PUT('/api/v1/settings/orders', { body: settings })),
    onSuccess: (saved) => queryClient.setQueryData(settingsKeys.orders, saved),
  });
};

export const usePricingSettings = () => useQuery({ queryKey: settingsKeys.pricing, queryFn: () => unwrap(api.GET('/api/v1/settings/pricing')) });

/** New stacking rules change what every cart costs: quotes on screen are priced again. */
export const useSavePricingSettings = () => {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (settings: PricingSettings) => unwrap(api.PUT('/api/v1/settings/pricing', { body: settings })),
    onSuccess: async (saved) => {
      queryClient.setQueryData(settingsKeys.pricing, saved);
      await queryClient.invalidateQueries({ queryKey: ['orders', 'quote'] });
    },
  });
};

export const useBookingSettings = () => useQuery({ queryKey: settingsKeys.booking, queryFn: () => unwrap(api.GET('/api/v1/settings/booking')) });

export const useSaveBookingSettings = () => {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (settings: BookingSettings) => unwrap(api.PUT('/api/v1/settings/booking', { body: settings })),
    onSuccess: (saved) => queryClient.setQueryData(settingsKeys.booking, saved),
  });
};
