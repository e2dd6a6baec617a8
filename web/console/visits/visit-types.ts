import { useTranslation } from 'react-i18next';
import type { OrderVisitType, VisitType } from '../../shared/api-models';

/** 到访类型 (SPEC §3), in the order of a customer's life with the clinic. */
export const visitTypes: readonly VisitType[] = ['first', 'return', 'in_course', 'recheck', 'repurchase'];

export const isVisitType = (value: unknown): value is VisitType => visitTypes.some((type) => type === value);

export const visitTypeColors: Record<OrderVisitType, string> = {
  first: 'blue',
  return: 'cyan',
  in_course: 'purple',
  recheck: 'green',
  repurchase: 'gold',
  not_visited: 'default',
};

export const useVisitTypeOptions = () => {
  const { t } = useTranslation();
  return visitTypes.map((type) => ({ value: type, label: t(`visits.types.${type}`) }));
};
