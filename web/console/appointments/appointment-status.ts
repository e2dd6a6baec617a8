import type { AppointmentStatus } from '../../shared/api-models';

export const appointmentStatuses: readonly AppointmentStatus[] = ['booked', 'arrived', 'no_show', 'cancelled'];

export const appointmentStatusColors: Record<AppointmentStatus, string> = {
  booked: 'processing',
  arrived: 'success',
  no_show: 'warning',
  cancelled: 'default',
};
