import { Card, Flex, Tabs, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { PointsSettingsForm } from '../points/points-settings-form';
import { ActivityForm } from './activity-form';
import { DealRulesForm } from './deal-rules-form';
import { OrderSettingsForm } from './order-settings-form';
import { PricingSettingsForm } from './pricing-settings-form';

const tabs = ['deal-rules', 'activity', 'orders', 'pricing', 'points'] as const;
type SettingsTab = (typeof tabs)[number];
const isSettingsTab = (value: unknown): value is SettingsTab => tabs.some((tab) => tab === value);

/** 设置: 成交配置, 会员活跃度, 开单设置, 开单定价 and 积分 (SPEC §5, §6, §8, §19). */
export const SettingsPage = () => {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const requested = params.get('tab');
  const tab: SettingsTab = isSettingsTab(requested) ? requested : 'deal-rules';
  return (
    <Card>
      <Flex vertical gap="small">
        <Typography.Title level={3} style={{ margin: 0 }}>
          {t('settings.title')}
        </Typography.Title>
        <Tabs
          activeKey={tab}
          onChange={(next) => setParams(next === 'deal-rules' ? {} : { tab: next })}
          items={[
            { key: 'deal-rules', label: t('settings.tabs.dealRules'), children: <DealRulesForm /> },
            { key: 'activity', label: t('settings.tabs.activity'), children: <ActivityForm /> },
            { key: 'orders', label: t('settings.tabs.orders'), children: <OrderSettingsForm /> },
            { key: 'pricing', label: t('pricing.settings.tab'), children: <PricingSettingsForm /> },
            { key: 'points', label: t('points.settings.tab'), children: <PointsSettingsForm /> },
          ]}
        />
      </Flex>
    </Card>
  );
};
