import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, unwrap } from '../../shared/api';
import type { AppointmentInput, AppointmentPatch, AppointmentsQuery, ArriveInput } from '../../shared/api-models';
import { customerKeys } from '../customers/customer-queries';
import { visitKeys } from '../visits/visit-queries';

export const appointmentKeys = {
  all: ['appointments'] as const,
  list: (query: AppointmentsQuery) => ['appointments', 'list', query] as const,
};

export const useAppointments = (query: AppointmentsQuery, options: { enabled?: boolean } = {}) =>
  useQuery({
    queryKey: appointmentKeys.list(query),
    queryFn: () => unwrap(api.GET('/api/v1/appointments', { params: { query } })),
    enabled: options.enabled ?? true,
  });

/** Booking, rescheduling and arrivals change the book, the arrival desk and the customers' tags (预约未到店, last visit type). */
const useInvalidateAppointments = () => {
  const queryClient = useQueryClient();
  return () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: appointmentKeys.all }),
      queryClient.invalidateQueries({ queryKey: visitKeys.all }),
      queryClient.invalidateQueries({ queryKey: customerKeys.all }),
    ]);
};

export const useBookAppointment = () => {
  const invalidate = useInvalidateAppointments();
  return useMutation({
    mutationFn: (input: AppointmentInput) => unwrap(api.POST('/api/v1/appointments', { body: input })),
    onSuccess: invalidate,
  });
};

export const useUpdateAppointment = () => {
  const invalidate = useInvalidateAppointments();
  return useMutation({
    mutationFn: ({ id, patch }: { id: string; patch: AppointmentPatch }) =>
      unwrap(api.PATCH('/api/v1/appointments/{id}', { params: { path: { id } }, body: patch })),
    onSuccess: invalidate,
  });
};

export const useArriveAppointment = () => {
  const invalidate = useInvalidateAppointments();
  return useMutation({
    mutationFn: ({ id, input }: { id: string; input: ArriveInput }) =>
      unwrap(api.POST('/api/v1/appointments/{id}/arrive', { params: { path: { id } }, body: input })),
    onSuccess: invalidate,
  });
};
