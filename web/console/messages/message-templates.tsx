import { Alert, App, Button, Card, Drawer, Flex, Form, Input, Skeleton, Switch, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useCan } from '../auth/me-context';
import { useErrorMessage } from '../common/error-message';
import { CustomerSearchSelect } from '../customers/customer-search-select';
import { type MessageTopic, type TopicChannel, usePreviewTemplate, useSaveTemplate } from './messages-queries';

type Editing = { topic: MessageTopic; channel: TopicChannel };

const TemplateDrawer = ({ editing, onClose }: { editing: Editing; onClose: () => void }) => {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const errorMessage = useErrorMessage();
  const canManage = useCan('messages.manage');
  const save = useSaveTemplate();
  const preview = usePreviewTemplate();
  const [body, setBody] = useState(editing.channel.body);
  const [code, setCode] = useState(editing.channel.providerTemplateCode ?? '');
  const [isEnabled, setIsEnabled] = useState(editing.channel.isEnabled);
  const [customerId, setCustomerId] = useState<string | undefined>();
  const [problem, setProblem] = useState<string | null>(null);
  const topicLabel = t(`messaging.topics.${editing.topic.topic}` as 'messaging.topics.points.expiring', { defaultValue: editing.topic.label });
  const channelLabel = t(`messaging.channels.${editing.channel.channel}`);

  const submit = async () => {
    setProblem(null);
    try {
      await save.mutateAsync({ topic: editing.topic.topic, channel: editing.channel.channel, body, providerTemplateCode: code.trim() || null, isEnabled });
      void message.success(t('messaging.templates.saved'));
      onClose();
    } catch (error) {
      setProblem(errorMessage(error));
    }
  };

  return (
    <Drawer
      open
      width={520}
      title={t('messaging.templates.drawerTitle', { topic: topicLabel, channel: channelLabel })}
      onClose={onClose}
      extra={
        <Button type="primary" onClick={() => void submit()} loading={save.isPending} disabled={!canManage || body.trim() === ''}>
          {t('common.save')}
        </Button>
      }
    >
      <Flex vertical gap="middle">
        {problem && <Alert type="error" showIcon title={problem} />}
        <Form layout="vertical" disabled={!canManage}>
          <Form.Item
            label={t('messaging.templates.body')}
            extra={`${t('messaging.templates.variables')}：${editing.topic.variables.map((name) => `{${name}}`).join(' ')}`}
          >
            <Input.TextArea value={body} onChange={(event) => setBody(event.target.value)} autoSize={{ minRows: 3, maxRows: 8 }} maxLength={300} showCount />
          </Form.Item>
          {editing.channel.channel === 'sms' && (
            <Form.Item label={t('messaging.templates.providerCode')} extra={t('messaging.templates.providerCodeHelp')}>
              <Input value={code} onChange={(event) => setCode(event.target.value)} maxLength={40} style={{ width: 240 }} />
            </Form.Item>
          )}
          <Form.Item label={t('messaging.templates.isEnabled')}>
            <Switch checked={isEnabled} onChange={setIsEnabled} disabled={editing.topic.topic === 'portal.code'} />
          </Form.Item>
        </Form>
        <Card size="small" title={t('messaging.templates.previewWith')}>
          <Flex vertical gap="small">
            <Flex gap="small">
              <CustomerSearchSelect
                value={customerId}
                onChange={setCustomerId}
                placeholder={t('messaging.templates.previewPick')}
                aria-label={t('messaging.templates.previewPick')}
                style={{ flex: 1 }}
              />
              <Button
                disabled={!customerId || body.trim() === ''}
                loading={preview.isPending}
                onClick={() => customerId && preview.mutate({ topic: editing.topic.topic, channel: editing.channel.channel, body, customerId })}
              >
                {t('messaging.templates.preview')}
              </Button>
            </Flex>
            {preview.isError && <Alert type="error" showIcon title={errorMessage(preview.error)} />}
            {preview.data && (
              <Flex vertical gap={4} data-testid="template-preview">
                <Typography.Paragraph style={{ margin: 0, whiteSpace: 'pre-wrap' }}>{preview.data.text}</Typography.Paragraph>
                {preview.data.forbiddenWords.length > 0 && (
                  <Alert
                    type="warning"
                    showIcon
                    title={t('messaging.templates.forbidden', { words: preview.data.forbiddenWords.join(t('common.listSeparator')) })}
                  />
                )}
              </Flex>
            )}
          </Flex>
        </Card>
      </Flex>
    </Drawer>
  );
};

/** 消息模板: each topic, notice or marketing, with its wording per channel — the clinic's own or the default — to edit and preview. */
export const MessageTemplates = ({ topics }: { topics: MessageTopic[] | undefined }) => {
  const { t } = useTranslation();
  const [editing, setEditing] = useState<Editing | null>(null);
  if (!topics) return <Skeleton active paragraph={{ rows: 6 }} />;
  return (
    <Flex vertical gap="middle">
      <Typography.Paragraph type="secondary" style={{ margin: 0 }}>
        {t('messaging.templates.intro')}
      </Typography.Paragraph>
      {topics.map((topic) => (
        <Card
          key={topic.topic}
          data-testid={`topic-${topic.topic}`}
          size="small"
          title={
            <Flex gap="small" align="center">
              {t(`messaging.topics.${topic.topic}` as 'messaging.topics.points.expiring', { defaultValue: topic.label })}
              <Tag color={topic.purpose === 'marketing' ? 'magenta' : 'blue'}>{t(`messaging.purposes.${topic.purpose}`)}</Tag>
            </Flex>
          }
        >
          <Flex vertical gap="small">
            {topic.channels.map((channel) => (
              <Flex key={channel.channel} gap="middle" align="baseline" justify="space-between">
                <Flex gap="small" align="baseline" style={{ minWidth: 0 }}>
                  <Tag style={{ flexShrink: 0 }}>{t(`messaging.channels.${channel.channel}`)}</Tag>
                  <Typography.Text type={channel.isEnabled ? undefined : 'secondary'} delete={!channel.isEnabled}>
                    {channel.body}
                  </Typography.Text>
                </Flex>
                <Flex gap="small" align="baseline" style={{ flexShrink: 0 }}>
                  {channel.channel === 'sms' && channel.providerTemplateCode && <Typography.Text code>{channel.providerTemplateCode}</Typography.Text>}
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {!channel.isEnabled ? t('messaging.templates.off') : channel.isCustom ? t('messaging.templates.custom') : t('messaging.templates.builtIn')}
                  </Typography.Text>
                  <Button
                    size="small"
                    aria-label={`${t('messaging.templates.edit')} ${t(`messaging.channels.${channel.channel}`)}`}
                    onClick={() => setEditing({ topic, channel })}
                  >
                    {t('messaging.templates.edit')}
                  </Button>
                </Flex>
              </Flex>
            ))}
          </Flex>
        </Card>
      ))}
      {editing && <TemplateDrawer editing={editing} onClose={() => setEditing(null)} />}
    </Flex>
  );
};
