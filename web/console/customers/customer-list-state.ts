import type { ActivityStatus, CustomersQuery, DealStatus, Gender, SourceChannel, VisitType } from '../../shared/api-models';

export const upcomingReasons = ['birthday', 'points_expiring', 'vouchers_expiring'] as const;
export type UpcomingReason = (typeof upcomingReasons)[number];
const isUpcomingReason = (value: string | null): value is UpcomingReason => upcomingReasons.some((reason) => reason === value);

import { isVisitType } from '../visits/visit-types';
import { isActivityStatus, isDealStatus } from './dynamic-tag-options';
import { isGender, isSourceChannel } from './options';

/** What the customer list shows, kept in the address bar so back/forward and links keep it. */
export type CustomerListState = {
  q: string;
  gender?: Gender;
  tag?: string;
  hasAllergy?: 'true' | 'false';
  consultantId?: string;
  sourceChannel?: SourceChannel;
  dealStatus?: DealStatus;
  activity?: ActivityStatus;
  lastVisitType?: VisitType;
  hasArrears?: 'true' | 'false';
  /** 预约未到店: booked on or before today and never arrived. */
  bookedNotArrived?: 'true';
  /** The today screen's lists: a birthday this week, points or vouchers about to expire. */
  upcoming?: UpcomingReason;
  page: number;
  pageSize: number;
};

export type CustomerListFilters = Omit<CustomerListState, 'q' | 'page' | 'pageSize'>;

export const defaultPageSize = 20;
const pageSizes = [10, 20, 50, 100];

const positiveInt = (value: string | null, fallback: number) => {
  const parsed = Number(value);
  return Number.isInteger(parsed) && parsed > 0 ? parsed : fallback;
};

const nonEmpty = (value: string | null) => (value && value.trim() !== '' ? value : undefined);

export const readListState = (params: URLSearchParams): CustomerListState => {
  const gender = params.get('gender');
  const sourceChannel = params.get('sourceChannel');
  const hasAllergy = params.get('hasAllergy');
  const dealStatus = params.get('dealStatus');
  const activity = params.get('activity');
  const lastVisitType = params.get('lastVisitType');
  const hasArrears = params.get('hasArrears');
  const pageSize = positiveInt(params.get('pageSize'), defaultPageSize);
  return {
    q: params.get('q') ?? '',
    gender: isGender(gender) ? gender : undefined,
    tag: nonEmpty(params.get('tag')),
    hasAllergy: hasAllergy === 'true' || hasAllergy === 'false' ? hasAllergy : undefined,
    consultantId: nonEmpty(params.get('consultantId')),
    sourceChannel: isSourceChannel(sourceChannel) ? sourceChannel : undefined,
    dealStatus: isDealStatus(dealStatus) ? dealStatus : undefined,
    activity: isActivityStatus(activity) ? activity : undefined,
    lastVisitType: isVisitType(lastVisitType) ? lastVisitType : undefined,
    hasArrears: hasArrears === 'true' || hasArrears === 'false' ? hasArrears : undefined,
    bookedNotArrived: params.get('bookedNotArrived') === 'true' ? 'true' : undefined,
    upcoming: isUpcomingReason(params.get('upcoming')) ? (params.get('upcoming') as UpcomingReason) : undefined,
    page: positiveInt(params.get('page'), 1),
    pageSize: pageSizes.includes(pageSize) ? pageSize : defaultPageSize,
  };
};

export const writeListState = (state: CustomerListState): URLSearchParams => {
  const params = new URLSearchParams();
  const entries: [string, string | number | undefined][] = [
    ['q', state.q.trim() || undefined],
    ['gender', state.gender],
    ['tag', state.tag],
    ['hasAllergy', state.hasAllergy],
    ['consultantId', state.consultantId],
    ['sourceChannel', state.sourceChannel],
    ['dealStatus', state.dealStatus],
    ['activity', state.activity],
    ['lastVisitType', state.lastVisitType],
    ['hasArrears', state.hasArrears],
    ['bookedNotArrived', state.bookedNotArrived],
    ['upcoming', state.upcoming],
    ['page', state.page === 1 ? undefined : state.page],
    ['pageSize', state.pageSize === defaultPageSize ? undefined : state.pageSize],
  ];
  for (const [key, value] of entries) {
    if (value !== undefined) params.set(key, String(value));
  }
  return params;
};

/** The API query: empty values left out so the server applies no filter for them. */
export const toCustomersQuery = (state: CustomerListState): CustomersQuery => {
  const query: CustomersQuery = { page: state.page, pageSize: state.pageSize };
  if (state.q.trim()) query.q = state.q.trim();
  if (state.gender) query.gender = state.gender;
  if (state.tag) query.tag = state.tag;
  if (state.hasAllergy) query.hasAllergy = state.hasAllergy;
  if (state.consultantId) query.consultantId = state.consultantId;
  if (state.sourceChannel) query.sourceChannel = state.sourceChannel;
  if (state.dealStatus) query.dealStatus = state.dealStatus;
  if (state.activity) query.activity = state.activity;
  if (state.lastVisitType) query.lastVisitType = state.lastVisitType;
  if (state.hasArrears) query.hasArrears = state.hasArrears;
  if (state.bookedNotArrived) query.bookedNotArrived = state.bookedNotArrived;
  if (state.upcoming) query.upcoming = state.upcoming;
  return query;
};
