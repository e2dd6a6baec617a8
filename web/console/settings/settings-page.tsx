import { Card, Flex, Tabs, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { useCurrentMe } from '../auth/me-context';
import { hasPermission, type Permission } from '../auth/permissions';
import { PointsSettingsForm } from '../points/points-settings-form';
import { ActivityForm } from './activity-form';
import { BookingForm } from './booking-form';
import { ClinicSettingsForm } from './clinic-settings-form';
import { DealRulesForm } from './deal-rules-form';
import { OrderSettingsForm } from './order-settings-form';
import { PricingSettingsForm } from './pricing-settings-form';
import { StaffPanel } from './staff-panel';
import { StoresPanel } from './stores-panel';

const tabs = ['clinic', 'stores', 'staff', 'deal-rules', 'activity', 'orders', 'booking', 'pricing', 'points'] as const;
type SettingsTab = (typeof tabs)[number];
const isSettingsTab = (value: unknown): value is SettingsTab => tabs.some((tab) => tab === value);

/** Which tabs need what: a store manager sees only 员工, where the server lets them reset passwords. */
const tabPermission = (tab: SettingsTab): Permission => (tab === 'staff' ? 'staff.reset_password' : 'settings.manage');

/** 设置: 诊所, 门店, 员工, 成交配置, 会员活跃度, 开单设置, 在线预约, 开单定价 and 积分 (SPEC §5, §6, §8, §19). */
export const SettingsPage = () => {
  const { t } = useTranslation();
  const me = useCurrentMe();
  const [params, setParams] = useSearchParams();
  const allowed = tabs.filter((tab) => hasPermission(me, tabPermission(tab)));
  const requested = params.get('tab');
  const first = allowed[0] ?? 'staff';
  const tab: SettingsTab = isSettingsTab(requested) && allowed.includes(requested) ? requested : first;
  return (
    <Card>
      <Flex vertical gap="small">
        <Typography.Title level={3} style={{ margin: 0 }}>
          {t('settings.title')}
        </Typography.Title>
        <Tabs
          activeKey={tab}
          onChange={(next) => setParams(next === first ? {} : { tab: next })}
          items={[
            { key: 'clinic', label: t('clinicSettings.tab'), children: <ClinicSettingsForm /> },
            { key: 'stores', label: t('storesAdmin.tab'), children: <StoresPanel /> },
            { key: 'staff', label: t('staffAdmin.tab'), children: <StaffPanel /> },
            { key: 'deal-rules', label: t('settings.tabs.dealRules'), children: <DealRulesForm /> },
            { key: 'activity', label: t('settings.tabs.activity'), children: <ActivityForm /> },
            { key: 'orders', label: t('settings.tabs.orders'), children: <OrderSettingsForm /> },
            { key: 'booking', label: t('settings.booking.tab'), children: <BookingForm /> },
            { key: 'pricing', label: t('pricing.settings.tab'), children: <PricingSettingsForm /> },
            { key: 'points', label: t('points.settings.tab'), children: <PointsSettingsForm /> },
          ].filter((item) => allowed.includes(item.key as SettingsTab))}
          destroyOnHidden
        />
      </Flex>
    </Card>
  );
};
