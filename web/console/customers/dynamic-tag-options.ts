import { useTranslation } from 'react-i18next';
import type { ActivityStatus, DealStatus } from '../../shared/api-models';

export const dealStatuses: readonly DealStatus[] = ['none', 'first', 'repeat'];
export const activityStatuses: readonly ActivityStatus[] = ['non_member', 'new', 'active', 'sleeping', 'deep_sleep'];

export const isDealStatus = (value: unknown): value is DealStatus => dealStatuses.some((status) => status === value);
export const isActivityStatus = (value: unknown): value is ActivityStatus => activityStatuses.some((status) => status === value);

export const useDealStatusOptions = () => {
  const { t } = useTranslation();
  return dealStatuses.map((status) => ({ value: status, label: t(`dynamicTags.dealStatus.${status}`) }));
};

export const useActivityOptions = () => {
  const { t } = useTranslation();
  return activityStatuses.map((status) => ({ value: status, label: t(`dynamicTags.activity.${status}`) }));
};
