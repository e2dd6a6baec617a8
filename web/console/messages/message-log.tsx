import { Alert, Flex, Select, Table, Tag, Tooltip, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useErrorMessage } from '../common/error-message';
import { formatTenantTime, useTenantTimezone } from '../common/tenant-time';
import { type MessageLogQuery, type MessageRow, messageStatuses, useMessageLog, useMessageTopics } from './messages-queries';

const statusColors: Record<string, string> = {
  queued: 'default',
  sending: 'processing',
  sent: 'blue',
  delivered: 'green',
  failed: 'red',
  suppressed: 'orange',
  unknown: 'gold',
};

type Status = NonNullable<MessageLogQuery['status']>;
type Channel = NonNullable<MessageLogQuery['channel']>;

/** A message's fate: the status, and why when it failed or was stopped (the provider's error or the sending rule). */
export const MessageStatus = ({ row }: { row: Pick<MessageRow, 'status' | 'reason'> }) => {
  const { t } = useTranslation();
  const reason = row.reason ? t(`messaging.reasons.${row.reason}` as 'messaging.reasons.other', { defaultValue: row.reason }) : null;
  const tag = (
    <Tag color={statusColors[row.status] ?? 'default'}>{t(`messaging.statuses.${row.status}` as 'messaging.statuses.sent', { defaultValue: row.status })}</Tag>
  );
  return (
    <Flex vertical gap={2}>
      <span>{tag}</span>
      {reason && (
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {reason}
        </Typography.Text>
      )}
    </Flex>
  );
};

/**
 * 消息记录: every message sent or tried, newest first — when, to whom, by which channel, the text
 * as she read it (a code masked) and what became of it. With `customerId`: one customer's.
 */
export const MessageLog = ({
  customerId,
  initialTopic,
  campaign,
  onClearCampaign,
}: {
  customerId?: string;
  initialTopic?: string | undefined;
  /** One 群发's messages (opened from the campaign). */
  campaign?: { id: string; name: string } | undefined;
  onClearCampaign?: () => void;
}) => {
  const { t } = useTranslation();
  const errorMessage = useErrorMessage();
  const timezoneName = useTenantTimezone();
  const [page, setPage] = useState(1);
  const [status, setStatus] = useState<Status | undefined>();
  const [channel, setChannel] = useState<Channel | undefined>();
  const [topic, setTopic] = useState<string | undefined>(initialTopic);
  const topics = useMessageTopics();
  const query: MessageLogQuery = {
    page,
    pageSize: 20,
    ...(customerId ? { customerId } : {}),
    ...(status ? { status } : {}),
    ...(channel ? { channel } : {}),
    ...(topic ? { topic } : {}),
    ...(campaign ? { campaignId: campaign.id } : {}),
  };
  const log = useMessageLog(query);
  if (log.isError) return <Alert type="error" showIcon title={errorMessage(log.error)} />;
  return (
    <Flex vertical gap="small">
      <Flex gap="small" wrap align="center">
        {campaign && (
          <Tag closable onClose={onClearCampaign} color="purple">
            {t('messaging.campaigns.logFilter', { name: campaign.name })}
          </Tag>
        )}
        <Select<string>
          allowClear
          aria-label={t('messaging.columns.topic')}
          placeholder={t('messaging.allTopics')}
          value={topic}
          onChange={(next) => {
            setTopic(next);
            setPage(1);
          }}
          options={(topics.data?.items ?? []).map((item) => ({
            value: item.topic,
            label: t(`messaging.topics.${item.topic}` as 'messaging.topics.points.expiring', { defaultValue: item.label }),
          }))}
          style={{ width: 180 }}
        />
        <Select<Status>
          allowClear
          aria-label={t('messaging.columns.status')}
          placeholder={t('messaging.allStatuses')}
          value={status}
          onChange={(next) => {
            setStatus(next);
            setPage(1);
          }}
          options={messageStatuses.map((value) => ({ value, label: t(`messaging.statuses.${value}`) }))}
          style={{ width: 160 }}
        />
        <Select<Channel>
          allowClear
          aria-label={t('messaging.columns.channel')}
          placeholder={t('messaging.allChannels')}
          value={channel}
          onChange={(next) => {
            setChannel(next);
            setPage(1);
          }}
          options={(['sms', 'portal'] as const).map((value) => ({ value, label: t(`messaging.channels.${value}`) }))}
          style={{ width: 160 }}
        />
      </Flex>
      <Table<MessageRow>
        size="small"
        rowKey="id"
        loading={log.isPending}
        dataSource={log.data?.items ?? []}
        locale={{ emptyText: t('messaging.empty') }}
        pagination={{
          current: page,
          pageSize: 20,
          total: log.data?.total ?? 0,
          onChange: setPage,
          showSizeChanger: false,
          showTotal: (total) => t('messaging.total', { count: total }),
        }}
        columns={[
          {
            key: 'time',
            title: t('messaging.columns.time'),
            width: 150,
            render: (_, row) => formatTenantTime(row.createdAt, timezoneName, 'YYYY-MM-DD HH:mm'),
          },
          ...(customerId
            ? []
            : [
                {
                  key: 'customer',
                  title: t('messaging.columns.customer'),
                  width: 110,
                  render: (_: unknown, row: MessageRow) => (row.customerId ? <Link to={`/customers/${row.customerId}`}>{row.customerName ?? '—'}</Link> : '—'),
                },
              ]),
          {
            key: 'channel',
            title: t('messaging.columns.channel'),
            width: 110,
            render: (_, row) => (
              <Flex vertical gap={2}>
                <span>{t(`messaging.channels.${row.channel}` as 'messaging.channels.sms', { defaultValue: row.channel })}</span>
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {t(`messaging.purposes.${row.purpose}` as 'messaging.purposes.notice', { defaultValue: row.purpose })}
                </Typography.Text>
              </Flex>
            ),
          },
          {
            key: 'topic',
            title: t('messaging.columns.topic'),
            width: 140,
            render: (_, row) => t(`messaging.topics.${row.topic}` as 'messaging.topics.points.expiring', { defaultValue: row.title }),
          },
          {
            key: 'body',
            title: t('messaging.columns.body'),
            render: (_, row) => (
              <Tooltip title={row.provider ? `${row.provider}${row.attempts > 1 ? ` · ×${row.attempts}` : ''}` : undefined}>
                <Typography.Text style={{ whiteSpace: 'normal' }}>{row.body}</Typography.Text>
              </Tooltip>
            ),
          },
          { key: 'status', title: t('messaging.columns.status'), width: 170, render: (_, row) => <MessageStatus row={row} /> },
        ]}
      />
    </Flex>
  );
};
