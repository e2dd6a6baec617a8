import dayjs, { type Dayjs } from 'dayjs';
import type { BirthdayInput, Customer, CustomerInput, CustomerPatch, Gender, SourceChannel } from '../../shared/api-models';

export type BirthdayFormValues = {
  calendar: 'solar' | 'lunar';
  date?: Dayjs | null;
  year?: number | null;
  month?: number;
  day?: number;
  isLeapMonth?: boolean;
};

/** The form's own shape: antd controls give Dayjs and undefined where the API wants strings and null. */
export type CustomerFormValues = {
  name: string;
  gender: Gender;
  phone: string;
  birthday: BirthdayFormValues;
  sourceChannel?: SourceChannel;
  consultantId?: string;
  referrerId?: string;
  firstStoreId?: string;
  notes?: string;
  tags: string[];
  allergies: string[];
};

/** Accepts what people type: spaces, dashes, a +86 prefix. The server normalises it the same way. */
export const isChineseMobile = (phone: string): boolean => /^(?:\+?86)?1[3-9]\d{9}$/.test(phone.replace(/[\s-]/g, ''));

export const emptyCustomerForm = (defaults: { firstStoreId?: string }): CustomerFormValues => ({
  name: '',
  gender: 'female',
  phone: '',
  birthday: { calendar: 'solar', date: null },
  firstStoreId: defaults.firstStoreId,
  tags: [],
  allergies: [],
});

const toBirthdayForm = (birthday: Customer['birthday']): BirthdayFormValues => {
  if (!birthday) return { calendar: 'solar', date: null };
  if (birthday.calendar === 'solar') return { calendar: 'solar', date: dayjs(birthday.solarDate) };
  const { year, month, day, isLeapMonth } = birthday.lunar;
  return { calendar: 'lunar', year, month, day, isLeapMonth };
};

export const customerToForm = (customer: Customer): CustomerFormValues => ({
  name: customer.name,
  gender: customer.gender,
  phone: customer.phone,
  birthday: toBirthdayForm(customer.birthday),
  sourceChannel: customer.sourceChannel ?? undefined,
  consultantId: customer.consultantId ?? undefined,
  referrerId: customer.referrerId ?? undefined,
  firstStoreId: customer.firstStoreId ?? undefined,
  notes: customer.notes ?? undefined,
  tags: customer.tags,
  allergies: customer.allergies,
});

const toBirthdayInput = (birthday: BirthdayFormValues): BirthdayInput | null => {
  if (birthday.calendar === 'solar') return birthday.date ? { calendar: 'solar', date: birthday.date.format('YYYY-MM-DD') } : null;
  const { year, month, day } = birthday;
  if (year == null || month == null || day == null) return null;
  return { calendar: 'lunar', year, month, day, isLeapMonth: birthday.isLeapMonth ?? false };
};

/** Trimmed, without blanks and repeats, in the order typed. */
const cleanList = (values: readonly string[]) => [...new Set(values.map((value) => value.trim()).filter(Boolean))];

export const formToCustomerInput = (values: CustomerFormValues): CustomerInput => ({
  name: values.name.trim(),
  gender: values.gender,
  phone: values.phone.trim(),
  birthday: toBirthdayInput(values.birthday),
  sourceChannel: values.sourceChannel ?? null,
  consultantId: values.consultantId ?? null,
  referrerId: values.referrerId ?? null,
  firstStoreId: values.firstStoreId ?? null,
  notes: values.notes?.trim() || null,
  tags: cleanList(values.tags),
  allergies: cleanList(values.allergies),
});

/**
 * Only what changed, so an edit never sends back fields it did not touch — notably a masked
 * phone number (138****5678) that the user was not allowed to see in full.
 */
export const changedFields = (next: CustomerInput, before: CustomerInput): CustomerPatch => {
  const patch: Record<string, unknown> = {};
  for (const key of Object.keys(next) as (keyof CustomerInput)[]) {
    if (JSON.stringify(next[key]) !== JSON.stringify(before[key])) patch[key] = next[key];
  }
  return patch as CustomerPatch;
};
