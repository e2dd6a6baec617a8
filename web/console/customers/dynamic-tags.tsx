import { Flex, Tag, Tooltip } from 'antd';
import { useTranslation } from 'react-i18next';
import type { ActivityStatus, Customer, DealStatus } from '../../shared/api-models';
import { formatYuan } from '../../shared/money';
import { VisitTypeTag } from '../visits/visit-type-tag';

export const dealStatusColors: Record<DealStatus, string> = { none: 'default', first: 'green', repeat: 'cyan' };

export const activityColors: Record<ActivityStatus, string> = {
  non_member: 'default',
  new: 'blue',
  active: 'green',
  sleeping: 'gold',
  deep_sleep: 'purple',
};

type DynamicTagsProps = {
  customer: Pick<Customer, 'dealStatus' | 'dealCount' | 'activity' | 'hasAllergy' | 'allergies' | 'arrearsFen' | 'lastVisitType' | 'lastVisitDate'>;
};

/**
 * 客户动态标签 (SPEC §5): deal status, member activity, allergy, arrears and the last visit
 * type — computed by the server from orders, visits and the tenant's rules, never typed in.
 */
export const DynamicTags = ({ customer }: DynamicTagsProps) => {
  const { t } = useTranslation();
  return (
    <Flex wrap gap={4} align="center">
      <Tooltip title={t('dynamicTags.dealCount', { count: customer.dealCount })}>
        <Tag color={dealStatusColors[customer.dealStatus]} style={{ marginInlineEnd: 0 }}>
          {t(`dynamicTags.dealStatus.${customer.dealStatus}`)}
        </Tag>
      </Tooltip>
      <Tag color={activityColors[customer.activity]} style={{ marginInlineEnd: 0 }}>
        {t(`dynamicTags.activity.${customer.activity}`)}
      </Tag>
      {customer.hasAllergy && (
        <Tooltip title={customer.allergies.join('、')}>
          <Tag color="red" style={{ marginInlineEnd: 0 }}>
            {t('dynamicTags.allergy')}
          </Tag>
        </Tooltip>
      )}
      {customer.arrearsFen > 0 && (
        <Tag color="orange" style={{ marginInlineEnd: 0 }}>
          {t('dynamicTags.arrears', { amount: formatYuan(customer.arrearsFen) })}
        </Tag>
      )}
      {customer.lastVisitType && (
        <Tooltip title={customer.lastVisitDate ? t('dynamicTags.lastVisitOn', { date: customer.lastVisitDate }) : undefined}>
          <span style={{ display: 'inline-flex' }}>
            <VisitTypeTag type={customer.lastVisitType} prefix={t('dynamicTags.lastVisitPrefix')} />
          </span>
        </Tooltip>
      )}
    </Flex>
  );
};
