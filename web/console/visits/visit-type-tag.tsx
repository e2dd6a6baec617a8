import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import type { OrderVisitType } from '../../shared/api-models';
import { visitTypeColors } from './visit-types';

/** 初诊 / 复诊 / 疗程内 / 复查 / 再消费, or 未到访 for an order without a visit that day. */
export const VisitTypeTag = ({ type, prefix }: { type: OrderVisitType; prefix?: string }) => {
  const { t } = useTranslation();
  return (
    <Tag color={visitTypeColors[type]} style={{ marginInlineEnd: 0 }}>
      {prefix}
      {t(`visits.types.${type}`)}
    </Tag>
  );
};
