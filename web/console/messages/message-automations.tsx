import { Alert, App, Button, Card, Flex, Input, InputNumber, Select, Skeleton, Switch, Tag, Typography } from 'antd';
import { type ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useCan } from '../auth/me-context';
import { useItemCategories, useItems } from '../catalog/catalog-queries';
import { useErrorMessage } from '../common/error-message';
import {
  type MessageAutomations as Automations,
  type MessageTopic,
  useMessageAutomations,
  useMessageTopics,
  useSaveMessageAutomations,
  useTopicCount,
} from './messages-queries';

type AutomationKey = Exclude<keyof Automations, 'careSeries'>;
type CareSeries = Automations['careSeries'][number];

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
  const isTimeValid =
    clock.test(draft.appointmentReminder.sendAt) && clock.test(draft.birthday.sendAt) && draft.careSeries.every((series) => clock.test(series.sendAt));

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
      <CareSeriesSection
        series={draft.careSeries}
        canManage={canManage}
        since={since}
        onOpenLog={onOpenLog}
        onChange={(careSeries) => setDraft((current) => ({ ...current, careSeries }))}
      />
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

const newSeries = (): CareSeries => ({
  id: crypto.randomUUID(),
  name: '',
  isOn: true,
  itemIds: [],
  categoryIds: [],
  sendAt: '10:00',
  steps: [{ days: 1, text: '' }],
});

/**
 * 术后护理: series of care advice after a 划扣 of chosen items or categories, each step a number of
 * days after with its own text; notices, so their wording is checked for promotion when saved.
 */
const CareSeriesSection = ({
  series,
  canManage,
  since,
  onOpenLog,
  onChange,
}: {
  series: CareSeries[];
  canManage: boolean;
  since: string;
  onOpenLog: (topic: string) => void;
  onChange: (series: CareSeries[]) => void;
}) => {
  const { t } = useTranslation();
  const categories = useItemCategories();
  const services = useItems({ kind: 'service', page: 1, pageSize: 100 });
  const change = (index: number, value: Partial<CareSeries>) => onChange(series.map((entry, at) => (at === index ? { ...entry, ...value } : entry)));
  const changeStep = (index: number, stepIndex: number, value: Partial<CareSeries['steps'][number]>) =>
    change(index, { steps: (series[index]?.steps ?? []).map((step, at) => (at === stepIndex ? { ...step, ...value } : step)) });

  return (
    <Card size="small" data-testid="automation-careSeries">
      <Flex vertical gap="middle">
        <Flex gap="small" align="center" justify="space-between" wrap>
          <Flex gap="small" align="center">
            <Typography.Text strong>{t('messaging.automations.names.careSeries')}</Typography.Text>
            <Tag color="blue">{t('messaging.purposes.notice')}</Tag>
          </Flex>
          <SentLately topic="treatments.care" since={since} onOpenLog={onOpenLog} />
        </Flex>
        <Typography.Text type="secondary">{t('messaging.automations.help.careSeries')}</Typography.Text>
        {series.map((entry, index) => (
          <fieldset
            key={entry.id}
            disabled={!canManage}
            style={{ border: '1px solid #f0f0f0', borderRadius: 8, padding: 12, margin: 0 }}
            data-testid="care-series"
          >
            <Flex vertical gap="small">
              <Flex gap="small" align="center" wrap>
                <Switch
                  aria-label={t('messaging.automations.care.isOn')}
                  checked={entry.isOn}
                  disabled={!canManage}
                  onChange={(isOn) => change(index, { isOn })}
                />
                <Input
                  aria-label={t('messaging.automations.care.name')}
                  placeholder={t('messaging.automations.care.namePlaceholder')}
                  value={entry.name}
                  maxLength={40}
                  onChange={(event) => change(index, { name: event.target.value })}
                  style={{ width: 200 }}
                />
                {t('messaging.automations.care.sendAt')}
                <Input
                  aria-label={t('messaging.automations.sendAt')}
                  value={entry.sendAt}
                  onChange={(event) => change(index, { sendAt: event.target.value })}
                  status={clock.test(entry.sendAt) ? undefined : 'error'}
                  placeholder="HH:MM"
                  style={{ width: 90 }}
                />
                {canManage && (
                  <Button danger type="link" onClick={() => onChange(series.filter((_, at) => at !== index))}>
                    {t('messaging.automations.care.remove')}
                  </Button>
                )}
              </Flex>
              <Flex gap="small" wrap>
                <Select
                  mode="multiple"
                  allowClear
                  aria-label={t('messaging.automations.care.categories')}
                  placeholder={t('messaging.automations.care.categories')}
                  value={entry.categoryIds}
                  disabled={!canManage}
                  onChange={(categoryIds: string[]) => change(index, { categoryIds })}
                  options={(categories.data?.items ?? []).map((category) => ({ value: category.id, label: category.name }))}
                  style={{ minWidth: 240 }}
                />
                <Select
                  mode="multiple"
                  allowClear
                  optionFilterProp="label"
                  aria-label={t('messaging.automations.care.items')}
                  placeholder={t('messaging.automations.care.items')}
                  value={entry.itemIds}
                  disabled={!canManage}
                  onChange={(itemIds: string[]) => change(index, { itemIds })}
                  options={(services.data?.items ?? []).map((item) => ({ value: item.id, label: item.name }))}
                  style={{ minWidth: 320 }}
                />
              </Flex>
              {entry.steps.map((step, stepIndex) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: steps have no id of their own; their order is their identity while edited
                <Flex key={stepIndex} gap="small" align="center">
                  <span style={{ whiteSpace: 'nowrap' }}>{t('messaging.automations.care.dayBefore')}</span>
                  <InputNumber
                    aria-label={t('messaging.automations.care.days')}
                    min={0}
                    max={365}
                    precision={0}
                    value={step.days}
                    onChange={(value) => changeStep(index, stepIndex, { days: value ?? 0 })}
                    style={{ width: 80 }}
                  />
                  <span style={{ whiteSpace: 'nowrap' }}>{t('messaging.automations.care.dayAfter')}</span>
                  <Input
                    aria-label={t('messaging.automations.care.text')}
                    placeholder={t('messaging.automations.care.textPlaceholder')}
                    value={step.text}
                    maxLength={200}
                    onChange={(event) => changeStep(index, stepIndex, { text: event.target.value })}
                  />
                  {canManage && entry.steps.length > 1 && (
                    <Button type="link" onClick={() => change(index, { steps: entry.steps.filter((_, at) => at !== stepIndex) })}>
                      {t('messaging.automations.care.removeStep')}
                    </Button>
                  )}
                </Flex>
              ))}
              {canManage && entry.steps.length < 10 && (
                <Flex>
                  <Button
                    size="small"
                    onClick={() => change(index, { steps: [...entry.steps, { days: Math.min(365, (entry.steps.at(-1)?.days ?? 0) + 7), text: '' }] })}
                  >
                    {t('messaging.automations.care.addStep')}
                  </Button>
                </Flex>
              )}
            </Flex>
          </fieldset>
        ))}
        {canManage && series.length < 20 && (
          <Flex>
            <Button onClick={() => onChange([...series, newSeries()])}>{t('messaging.automations.care.add')}</Button>
          </Flex>
        )}
      </Flex>
    </Card>
  );
};
