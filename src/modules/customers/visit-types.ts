/** 到访类型 vocabulary: the customer's record, her orders and her visits all speak it. */
export const visitTypes = ['first', 'return', 'in_course', 'recheck', 'repurchase'] as const;
export type VisitType = (typeof visitTypes)[number];
export type OrderVisitType = VisitType | 'not_visited';

export const visitTypeLabels: Record<OrderVisitType, string> = {
  first: '初诊',
  return: '复诊',
  in_course: '疗程内',
  recheck: '复查',
  repurchase: '再消费',
  not_visited: '未到访',
};
