import type { AudienceFilter, AudienceInput, DistributionInput, DistributionKind } from './distribution-queries';

export type AudienceKind = AudienceInput['kind'];

/** The 新建发券 form as antd holds it. */
export type DistributionFormValues = {
  kind: DistributionKind;
  name: string;
  templateId?: string;
  quantity: number;
  every: 'month' | 'week';
  day: number;
  weekday: number;
  when: 'now' | 'later';
  /** ISO instant of the chosen time (from the date picker, in the tenant's time zone). */
  scheduledAt?: string;
  audienceKind: AudienceKind;
  customers?: { value: string; label?: unknown }[];
  phones?: string;
  noOrderDays?: number | null;
  activity?: AudienceFilter['activity'];
  dealStatus?: AudienceFilter['dealStatus'] | null;
  tags?: string[];
};

export const initialFormValues: DistributionFormValues = {
  kind: 'batch',
  name: '',
  quantity: 1,
  every: 'month',
  day: 1,
  weekday: 1,
  when: 'now',
  audienceKind: 'customers',
  customers: [],
};

/** Kinds that go to an audience staff choose (the others reach whoever registers, invites or claims). */
export const hasAudience = (kind: DistributionKind): kind is 'periodic' | 'operations' | 'batch' =>
  kind === 'periodic' || kind === 'operations' || kind === 'batch';

/** One phone per line, or separated by commas, semicolons, spaces or tabs (a column pasted from Excel). */
export const splitPhones = (text: string): string[] =>
  text
    .split(/[\n\r,，;；\t ]+/)
    .map((part) => part.trim())
    .filter((part) => part.length > 0);

/** The filter's fields as a form holds them (`audienceFilterOf` turns them into the API's filter). */
export type AudienceFilterValues = {
  noOrderDays?: number | null;
  activity?: AudienceFilter['activity'];
  dealStatus?: AudienceFilter['dealStatus'] | null;
  tags?: string[];
};

export const audienceFilterOf = (values: AudienceFilterValues): AudienceFilter => {
  const filter: AudienceFilter = {};
  if (values.noOrderDays) filter.noOrderDays = values.noOrderDays;
  if (values.activity && values.activity.length > 0) filter.activity = values.activity;
  if (values.dealStatus) filter.dealStatus = values.dealStatus;
  if (values.tags && values.tags.length > 0) filter.tags = values.tags;
  return filter;
};

/** The audience fields of a form (`AudienceFields` holds them). */
export type AudienceFormValues = Pick<DistributionFormValues, 'audienceKind' | 'customers' | 'phones'> & AudienceFilterValues;

export const audienceOf = (values: AudienceFormValues): AudienceInput => {
  switch (values.audienceKind) {
    case 'customers':
      return { kind: 'customers', customerIds: (values.customers ?? []).map((option) => option.value) };
    case 'phones':
      return { kind: 'phones', phones: splitPhones(values.phones ?? '') };
    case 'filter':
      return { kind: 'filter', filter: audienceFilterOf(values) };
  }
};

/** The request body for the kind chosen: only the fields that kind takes (the API refuses others). */
export const toDistributionInput = (values: DistributionFormValues): DistributionInput => {
  const common = { name: values.name.trim(), templateId: values.templateId ?? '', quantity: values.quantity };
  switch (values.kind) {
    case 'registration':
    case 'share':
    case 'claim_link':
      return { ...common, kind: values.kind };
    case 'periodic':
      return {
        ...common,
        kind: 'periodic',
        schedule: values.every === 'week' ? { every: 'week', weekday: values.weekday } : { every: 'month', day: values.day },
        audience: audienceOf(values),
      };
    case 'operations':
      return { ...common, kind: 'operations', audience: audienceOf(values), scheduledAt: values.when === 'later' ? (values.scheduledAt ?? null) : null };
    case 'batch':
      return { ...common, kind: 'batch', audience: audienceOf(values) };
  }
};
