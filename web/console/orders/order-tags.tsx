import { Tag, Tooltip } from 'antd';
import { useTranslation } from 'react-i18next';
import type { OrderStatus, OrderVisitType } from '../../shared/api-models';
import { useServerText } from '../common/server-text';

const statusColors: Record<OrderStatus, string> = { open: 'orange', placed: 'green', voided: 'default' };

export const OrderStatusTag = ({ status }: { status: OrderStatus }) => {
  const { t } = useTranslation();
  return <Tag color={statusColors[status]}>{t(`orders.status.${status}`)}</Tag>;
};

/** 成交 / 未成交, with the rule check behind it on hover; nothing before checkout. */
export const DealTag = ({ isDeal, reasons = [] }: { isDeal: boolean | null; reasons?: readonly string[] }) => {
  const { t } = useTranslation();
  const { dealReason } = useServerText();
  if (isDeal === null) return <>{t('orders.deal.pending')}</>;
  const tag = <Tag color={isDeal ? 'magenta' : 'default'}>{isDeal ? t('orders.deal.yes') : t('orders.deal.no')}</Tag>;
  const separator = t('common.clauseSeparator');
  return reasons.length > 0 ? <Tooltip title={reasons.map(dealReason).join(separator)}>{tag}</Tooltip> : tag;
};

export const useVisitTypeLabel = () => {
  const { t } = useTranslation();
  return (visitType: OrderVisitType) => t(`orders.visitType.${visitType}`);
};
