import { Card, Flex, Tabs, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { useCurrentMe } from '../auth/me-context';
import { hasPermission, type Permission } from '../auth/permissions';
import { Campaigns } from './campaigns';
import { MessageAutomations } from './message-automations';
import { MessageLog } from './message-log';
import { MessageTemplates } from './message-templates';
import { useMessageTopics } from './messages-queries';
import { MessagingSettingsForm } from './messaging-settings';
import { OptOuts } from './opt-outs';

const tabs = ['log', 'campaigns', 'templates', 'automations', 'opt-outs', 'settings'] as const;
type MessagesTab = (typeof tabs)[number];
const isMessagesTab = (value: unknown): value is MessagesTab => tabs.some((tab) => tab === value);
const tabPermission: Record<MessagesTab, Permission> = {
  log: 'messages.read',
  campaigns: 'messages.read',
  templates: 'messages.read',
  // Seen by who sees the log; switched by who manages settings.
  automations: 'messages.read',
  'opt-outs': 'messages.read',
  settings: 'settings.manage',
};

const Templates = () => <MessageTemplates topics={useMessageTopics().data?.items} />;

/** 消息 (SPEC §14): the message log, campaigns, each message's wording, the automatic messages, the opt-out list and the sending settings. */
export const MessagesPage = () => {
  const { t } = useTranslation();
  const me = useCurrentMe();
  const [params, setParams] = useSearchParams();
  const allowed = tabs.filter((tab) => hasPermission(me, tabPermission[tab]));
  const requested = params.get('tab');
  const tab: MessagesTab = isMessagesTab(requested) && allowed.includes(requested) ? requested : 'log';
  return (
    <Card>
      <Flex vertical gap="small">
        <Typography.Title level={3} style={{ margin: 0 }}>
          {t('messaging.title')}
        </Typography.Title>
        <Typography.Paragraph type="secondary" style={{ margin: 0 }}>
          {t('messaging.intro')}
        </Typography.Paragraph>
        <Tabs
          activeKey={tab}
          onChange={(next) => setParams(next === 'log' ? {} : { tab: next })}
          items={[
            {
              key: 'log',
              label: t('messaging.tabs.log'),
              children: (
                <MessageLog
                  initialTopic={params.get('topic') ?? undefined}
                  campaign={params.get('campaign') ? { id: params.get('campaign') ?? '', name: params.get('campaignName') ?? '' } : undefined}
                  onClearCampaign={() => setParams({})}
                />
              ),
            },
            {
              key: 'campaigns',
              label: t('messaging.tabs.campaigns'),
              children: <Campaigns onOpenLog={(campaign) => setParams({ campaign: campaign.id, campaignName: campaign.name })} />,
            },
            { key: 'templates', label: t('messaging.tabs.templates'), children: <Templates /> },
            {
              key: 'automations',
              label: t('messaging.tabs.automations'),
              children: <MessageAutomations onOpenTemplates={() => setParams({ tab: 'templates' })} onOpenLog={(topic) => setParams({ topic })} />,
            },
            { key: 'opt-outs', label: t('messaging.tabs.optOuts'), children: <OptOuts /> },
            { key: 'settings', label: t('messaging.tabs.settings'), children: <MessagingSettingsForm /> },
          ].filter((item) => allowed.includes(item.key as MessagesTab))}
          destroyOnHidden
        />
      </Flex>
    </Card>
  );
};
