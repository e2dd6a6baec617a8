import { Card, Flex, Tabs, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { useCan } from '../auth/me-context';
import { CallCampaigns } from './call-campaigns';
import { FollowupRules } from './followup-rules';
import { FollowupTaskList } from './followup-tasks';
import { RelationshipReportView } from './relationship-report';

const tabs = ['mine', 'pool', 'all', 'campaigns', 'rules', 'relationship'] as const;
type FollowupsTab = (typeof tabs)[number];
const isFollowupsTab = (value: unknown): value is FollowupsTab => tabs.some((tab) => tab === value);

/** 回访 (SPEC §13): my follow-ups today and overdue, the unassigned ones, everyone's, the call campaigns, and the rules. */
export const FollowupsPage = () => {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const canReadReports = useCan('reports.read');
  const requested = params.get('tab');
  const tab: FollowupsTab = isFollowupsTab(requested) ? requested : 'mine';
  return (
    <Card>
      <Flex vertical gap="small">
        <Typography.Title level={3} style={{ margin: 0 }}>
          {t('followups.title')}
        </Typography.Title>
        <Typography.Paragraph type="secondary" style={{ margin: 0 }}>
          {t('followups.intro')}
        </Typography.Paragraph>
        <Tabs
          activeKey={tab}
          onChange={(next) => setParams(next === 'mine' ? {} : { tab: next })}
          items={[
            { key: 'mine', label: t('followups.tabs.mine'), children: <FollowupTaskList scope="mine" /> },
            { key: 'pool', label: t('followups.tabs.pool'), children: <FollowupTaskList scope="pool" /> },
            { key: 'all', label: t('followups.tabs.all'), children: <FollowupTaskList scope="all" /> },
            { key: 'campaigns', label: t('followups.tabs.campaigns'), children: <CallCampaigns /> },
            { key: 'rules', label: t('followups.tabs.rules'), children: <FollowupRules /> },
            ...(canReadReports ? [{ key: 'relationship', label: t('followups.tabs.relationship'), children: <RelationshipReportView /> }] : []),
          ]}
          destroyOnHidden
        />
      </Flex>
    </Card>
  );
};
