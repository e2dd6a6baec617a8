import { Alert, App, Button, Card, Flex, Input, InputNumber, Skeleton, Switch, Tag, Typography } from 'antd';
import { type ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useCan } from '../auth/me-context';
import { useErrorMessage } from '../common/error-message';
import {
  type MessageAutomations as Automations,
  type MessageTopic,
  useMessageAutomations,
  useMessageTopics,
  useSaveMessageAutomations,
  useTopicCount,
} from './messages-queries';

type AutomationKey = keyof Automations;

/** The automations in the order a clinic meets them, and the topic each one sends. */
const automations = [
  { key: 'appointmentReminder', topic: 'appointments.reminder' },
  { key: 'birthday', topic: 'customers.birthday' },
  { key: 'wakeup', topic: 'customers.wakeup' },
  { key: 'welcome', topic: 'customers.welcome' },
] as const satisfies readonly { key: AutomationKey; topic: string }[];

const clock = /^([01]\d|2[0-3]):[0-5]\d$/;
const countWindowDays = 30;

/** 自动消息: each automatic message with its switch, its timing, notice or marketing, a way to its wording and what it sent lately. */
export const MessageAutomations = ({ onOpenTemplates, onOpenLog }: { onOpenTemplates: () => void; onOpenLog: (topic: string) => void }) => {
  const errorMessage = useErrorMessage();
  const settings = useMessageAutomations();
  const topics = useMessageTopics();
  if (settings.isPending || topics.isPending) return <Skeleton active paragraph={{ rows: 8 }} />;
  if (settings.isError) return <Alert type="error" showIcon title={errorMessage(settings.error)} />;
  if (topics.isError) return <Alert type="error" showIcon title={errorMessage(topics.error)} />;
  return (
    <AutomationsEditor
      key={JSON.stringify(settings.data)}
      settings={settings.data}
      topics={topics.data.items}
      onOpenTemplates={onOpenTemplates}
      onOpenLog={onOpenLog}
    />
  );
};

/** The automation's messages of the last days, a link to them in the log. */
const SentLately = ({ topic, since, onOpenLog }: { topic: string; since: string; onOpenLog: (topic: string) => void }) => {
  const { t } = useTranslation();
  const count = useTopicCount(topic, since);
  return (
    <Button type="link" size="small" onClick={() => onOpenLog(topic)} data-testid={`automation-count-${topic}`}>
      {t('messaging.automations.sentLately', { days: countWindowDays, count: count.data ?? 0 })}
    </Button>
  );
};

const AutomationsEditor = ({
  settings,
  topics,
  onOpenTemplates,
  onOpenLog,
}: {
  settings: Automations;
  topics: MessageTopic[];
  onOpenTemplates: () => void;
  onOpenLog: (topic: string) => void;
}) => {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const errorMessage = useErrorMessage();
  const canManage = useCan('settings.manage');
  const save = useSaveMessageAutomations();
  const [draft, setDraft] = useState<Automations>(settings);
  const [problem, setProblem] = useState<string | null>(null);
  const [since] = useState(() => new Date(Date.now() - countWindowDays * 86_400_000).toISOString());
  const isTimeValid = clock.test(draft.appointmentReminder.sendAt) && clock.test(draft.birthday.sendAt);

  const change = <K extends AutomationKey>(key: K, value: Partial<Automations[K]>) =>
    setDraft((current) => ({ ...current, [key]: { ...current[key], ...value } }));

  const submit = async () => {
    setProblem(null);
    try {
      await save.mutateAsync(draft);
      void message.success(t('messaging.automations.saved'));
    } catch (error) {
      setProblem(errorMessage(error));
    }
  };

  const timing: Record<AutomationKey, ReactNode> = {
    appointmentReminder: (
      <Flex gap="small" align="center">
        {t('messaging.automations.dayBeforeAt')}
        <Input
          aria-label={t('messaging.automations.sendAt')}
          value={draft.appointmentReminder.sendAt}
          onChange={(event) => change('appointmentReminder', { sendAt: event.target.value })}
          status={clock.test(draft.appointmentReminder.sendAt) ? undefined : 'error'}
          placeholder="HH:MM"
          style={{ width: 90 }}
        />
      </Flex>
    ),
    birthday: (
      <Flex gap="small" align="center">
        {t('messaging.automations.onTheDayAt')}
        <Input
          aria-label={t('messaging.automations.sendAt')}
          value={draft.birthday.sendAt}
          onChange={(event) => change('birthday', { sendAt: event.target.value })}
          status={clock.test(draft.birthday.sendAt) ? undefined : 'error'}
          placeholder="HH:MM"
          style={{ width: 90 }}
        />
      </Flex>
    ),
    wakeup: (
      <Flex gap="small" align="center">
        {t('messaging.automations.atMostEvery')}
        <InputNumber
          aria-label={t('messaging.automations.everyDays')}
          min={30}
          max={365}
          precision={0}
          value={draft.wakeup.everyDays}
          onChange={(value) => change('wakeup', { everyDays: value ?? 90 })}
          style={{ width: 90 }}
        />
        {t('messaging.automations.days')}
      </Flex>
    ),
    welcome: (
      <Typography.Text type="secondary">
        {draft.welcome.isOn && draft.welcome.onSince
          ? t('messaging.automations.welcomeSince', { time: new Date(draft.welcome.onSince).toLocaleString() })
          : t('messaging.automations.welcomeNew')}
      </Typography.Text>
    ),
  };

  return (
    <Flex vertical gap="middle" style={{ maxWidth: 860 }}>
      <Typography.Paragraph type="secondary" style={{ margin: 0 }}>
        {t('messaging.automations.intro')}
      </Typography.Paragraph>
      {problem && <Alert type="error" showIcon title={problem} />}
      {automations.map(({ key, topic }) => {
        const purpose = topics.find((item) => item.topic === topic)?.purpose ?? 'notice';
        return (
          <Card key={key} size="small" data-testid={`automation-${key}`}>
            <Flex vertical gap="small">
              <Flex gap="small" align="center" justify="space-between" wrap>
                <Flex gap="small" align="center">
                  <Switch
                    aria-label={t(`messaging.automations.names.${key}`)}
                    checked={draft[key].isOn}
                    disabled={!canManage}
                    onChange={(isOn) => change(key, { isOn })}
                  />
                  <Typography.Text strong>{t(`messaging.automations.names.${key}`)}</Typography.Text>
                  <Tag color={purpose === 'marketing' ? 'magenta' : 'blue'}>{t(`messaging.purposes.${purpose}`)}</Tag>
                </Flex>
                <Flex gap="middle" align="center">
                  <SentLately topic={topic} since={since} onOpenLog={onOpenLog} />
                  <Button type="link" size="small" onClick={onOpenTemplates}>
                    {t('messaging.automations.wording')}
                  </Button>
                </Flex>
              </Flex>
              <Typography.Text type="secondary">{t(`messaging.automations.help.${key}`)}</Typography.Text>
              <fieldset disabled={!canManage} style={{ border: 0, padding: 0, margin: 0 }}>
                {timing[key]}
              </fieldset>
            </Flex>
          </Card>
        );
      })}
      {canManage ? (
        <Flex>
          <Button type="primary" onClick={() => void submit()} loading={save.isPending} disabled={!isTimeValid}>
            {t('messaging.automations.save')}
          </Button>
        </Flex>
      ) : (
        <Typography.Text type="secondary">{t('messaging.automations.readOnly')}</Typography.Text>
      )}
    </Flex>
  );
};
