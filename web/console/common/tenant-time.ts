import dayjs, { type Dayjs } from 'dayjs';
import timezone from 'dayjs/plugin/timezone';
import utc from 'dayjs/plugin/utc';
import { useCurrentMe } from '../auth/me-context';

dayjs.extend(utc);
dayjs.extend(timezone);

/**
 * Business days and clock times are the clinic's (the tenant's time zone, SPEC conventions), not
 * the browser's: a chain's head office may look at a store from another time zone.
 */
export const useTenantTimezone = (): string => useCurrentMe().tenant.timezone;

/**
 * Today's business date (YYYY-MM-DD) in the clinic's time zone, counted from the clinic's business
 * day start (HH:MM): with 04:00, at 02:00 it is still the day before.
 */
export const tenantToday = (timezoneName: string, dayStart = '00:00'): string => {
  const [hours = 0, minutes = 0] = dayStart.split(':').map(Number);
  return dayjs()
    .tz(timezoneName)
    .subtract(hours * 60 + minutes, 'minute')
    .format('YYYY-MM-DD');
};

/** Today's business date for the signed-in clinic. */
export const useTenantToday = (): string => {
  const { tenant } = useCurrentMe();
  return tenantToday(tenant.timezone, tenant.businessDayStart);
};

/** An instant shown as the clinic's wall-clock time, e.g. "09:30". */
export const formatTenantTime = (iso: string, timezoneName: string, format = 'HH:mm'): string => dayjs(iso).tz(timezoneName).format(format);

/** A date and a wall-clock time at the clinic as ISO 8601 with its offset, e.g. 2026-11-23T09:30:00+08:00. */
export const tenantDateTimeIso = (date: string, time: string, timezoneName: string): string => dayjs.tz(`${date} ${time}`, timezoneName).format();

/** The clinic's date and time of an instant, as pickers want them (their wall-clock values, no zone). */
export const tenantDateAndTime = (iso: string, timezoneName: string): { date: Dayjs; time: Dayjs } => {
  const local = dayjs(iso).tz(timezoneName);
  const wallClock = dayjs(local.format('YYYY-MM-DDTHH:mm:ss'));
  return { date: wallClock.startOf('day'), time: wallClock };
};

export const isIsoDate = (value: string | null): value is string => value !== null && /^\d{4}-\d{2}-\d{2}$/.test(value) && dayjs(value).isValid();
