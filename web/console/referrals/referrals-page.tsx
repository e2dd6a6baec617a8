import { Card, Flex, Tabs, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { ReferralReport } from './referral-report';
import { ReferralSettingsForm } from './referral-settings-form';

const tabs = ['report', 'settings'] as const;
type ReferralsTab = (typeof tabs)[number];
const isReferralsTab = (value: unknown): value is ReferralsTab => tabs.some((tab) => tab === value);

/** 转介绍 (SPEC §11): the report, and the reward settings (read-only without referrals.manage). */
export const ReferralsPage = () => {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const requested = params.get('tab');
  const tab: ReferralsTab = isReferralsTab(requested) ? requested : 'report';
  return (
    <Card>
      <Flex vertical gap="small">
        <Typography.Title level={3} style={{ margin: 0 }}>
          {t('referrals.title')}
        </Typography.Title>
        <Typography.Paragraph type="secondary" style={{ margin: 0 }}>
          {t('referrals.intro')}
        </Typography.Paragraph>
        <Tabs
          activeKey={tab}
          onChange={(next) => setParams(next === 'report' ? {} : { tab: next })}
          items={[
            { key: 'report', label: t('referrals.tabs.report'), children: <ReferralReport /> },
            { key: 'settings', label: t('referrals.tabs.settings'), children: <ReferralSettingsForm /> },
          ]}
        />
      </Flex>
    </Card>
  );
};
