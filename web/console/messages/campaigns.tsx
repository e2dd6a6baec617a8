import {
  Alert,
  App,
  Button,
  DatePicker,
  Descriptions,
  Drawer,
  Flex,
  Form,
  Input,
  InputNumber,
  Progress,
  Radio,
  Select,
  Statistic,
  Table,
  Tag,
  Typography,
} from 'antd';
import type { Dayjs } from 'dayjs';
import dayjs from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatYuan } from '../../shared/money';
import { useCurrentMe } from '../auth/me-context';
import { hasPermission } from '../auth/permissions';
import { AudienceFields } from '../common/audience-fields';
import { useErrorMessage } from '../common/error-message';
import { formatTenantTime, tenantDateTimeIso, useTenantTimezone } from '../common/tenant-time';
import { useIdempotencyKey } from '../common/use-idempotency-key';
import { type AudienceFormValues, audienceOf } from '../vouchers/distribution-form-values';
import { useDistributionText } from '../vouchers/distribution-text';
import {
  type Campaign,
  type CampaignInput,
  type CampaignPreview,
  useCampaign,
  useCampaignPreview,
  useCampaigns,
  useCancelCampaign,
  useCreateCampaign,
} from './messages-queries';

type CampaignFormValues = AudienceFormValues & {
  name: string;
  channel: CampaignInput['channel'];
  title: string;
  body: string;
  providerTemplateCode?: string;
  when: CampaignInput['when']['kind'];
  sendAtPicker?: Dayjs;
  every: 'month' | 'week';
  day: number;
  weekday: number;
  at: string;
  attributionDays: number;
};

const initialValues: Partial<CampaignFormValues> = {
  channel: 'portal',
  audienceKind: 'filter',
  when: 'now',
  every: 'month',
  day: 1,
  weekday: 1,
  at: '10:00',
  attributionDays: 7,
  body: '{姓名}您好，',
};

/** 08:00 … 21:30 by half hours: a recurring campaign goes inside the law's marketing hours. */
const clockOptions = Array.from({ length: 28 }, (_, index) => {
  const minutes = 8 * 60 + index * 30;
  const value = `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${minutes % 60 === 0 ? '00' : '30'}`;
  return { value, label: value };
});

const statusColors: Record<Campaign['status'], string> = { scheduled: 'blue', sending: 'processing', sent: 'green', active: 'purple', cancelled: 'default' };

const useCampaignText = () => {
  const { t } = useTranslation();
  const timezone = useTenantTimezone();
  const { weekday } = useDistributionText();
  const reasons = (excluded: CampaignPreview['excluded']) =>
    Object.entries(excluded)
      .filter(([, count]) => count > 0)
      .map(([reason, count]) => `${t(`messaging.reasons.${reason}` as 'messaging.reasons.other')} ${count}`)
      .join(t('common.listSeparator'));
  const excludedTotal = (excluded: CampaignPreview['excluded']) => Object.values(excluded).reduce((sum, count) => sum + count, 0);
  const when = (campaign: Campaign) => {
    if (campaign.schedule) {
      const text =
        campaign.schedule.every === 'month'
          ? t('messaging.campaigns.every.month', { day: campaign.schedule.day, at: campaign.schedule.at })
          : t('messaging.campaigns.every.week', { weekday: weekday(campaign.schedule.weekday), at: campaign.schedule.at });
      return campaign.nextRunOn ? `${text} · ${t('messaging.campaigns.next', { date: campaign.nextRunOn })}` : text;
    }
    return campaign.sendAt ? formatTenantTime(campaign.sendAt, timezone, 'YYYY-MM-DD HH:mm') : '';
  };
  return { reasons, excludedTotal, when };
};

/** 新建群发: audience, channel, text and time; the recipients previewed, then confirmed. */
const CampaignFormDrawer = ({ open, onClose, onCreated }: { open: boolean; onClose: () => void; onCreated: (campaign: Campaign) => void }) => {
  const { t } = useTranslation();
  const { message, modal } = App.useApp();
  const errorMessage = useErrorMessage();
  const timezone = useTenantTimezone();
  const { weekday } = useDistributionText();
  const { reasons, excludedTotal } = useCampaignText();
  const [form] = Form.useForm<CampaignFormValues>();
  const channel = Form.useWatch('channel', form) ?? 'portal';
  const audienceKind = Form.useWatch('audienceKind', form) ?? 'filter';
  const when = Form.useWatch('when', form) ?? 'now';
  const every = Form.useWatch('every', form) ?? 'month';
  const preview = useCampaignPreview();
  const create = useCreateCampaign();
  const keyFor = useIdempotencyKey();
  const [previewed, setPreviewed] = useState<CampaignPreview | null>(null);
  const [problem, setProblem] = useState<string | null>(null);

  const close = () => {
    form.resetFields();
    setPreviewed(null);
    setProblem(null);
    onClose();
  };

  const whenOf = (values: CampaignFormValues): CampaignInput['when'] => {
    if (values.when === 'at' && values.sendAtPicker) {
      const picked = values.sendAtPicker;
      return { kind: 'at', sendAt: new Date(tenantDateTimeIso(picked.format('YYYY-MM-DD'), picked.format('HH:mm'), timezone)).toISOString() };
    }
    if (values.when === 'recurring') {
      return {
        kind: 'recurring',
        schedule: values.every === 'week' ? { every: 'week', weekday: values.weekday, at: values.at } : { every: 'month', day: values.day, at: values.at },
      };
    }
    return { kind: 'now' };
  };

  const inputOf = (values: CampaignFormValues): CampaignInput => ({
    name: values.name.trim(),
    channel: values.channel,
    audience: audienceOf(values),
    title: values.title.trim(),
    body: values.body.trim(),
    providerTemplateCode: values.channel === 'sms' ? values.providerTemplateCode?.trim() || null : null,
    when: whenOf(values),
    attributionDays: values.attributionDays,
  });

  const runPreview = async (values: CampaignFormValues) => {
    setProblem(null);
    const input = inputOf(values);
    const result = await preview.mutateAsync({
      channel: input.channel,
      audience: input.audience,
      ...(input.body ? { body: input.body } : {}),
      ...(input.when.kind === 'at' ? { when: input.when } : {}),
    });
    setPreviewed(result);
    return { input, result };
  };

  const previewNow = async () => {
    try {
      await runPreview(form.getFieldsValue(true) as CampaignFormValues);
    } catch (error) {
      setPreviewed(null);
      setProblem(errorMessage(error));
    }
  };

  const submit = async (values: CampaignFormValues) => {
    let checked: Awaited<ReturnType<typeof runPreview>>;
    try {
      checked = await runPreview(values);
    } catch (error) {
      setProblem(errorMessage(error));
      return;
    }
    const { input, result } = checked;
    const confirmed = await modal.confirm({
      title: t('messaging.campaigns.form.confirmTitle', { count: result.recipients }),
      content: (
        <Flex vertical gap="small">
          <span>
            {t('messaging.campaigns.form.confirmBody', {
              count: result.recipients,
              audience: result.audience,
              name: input.name,
              excluded: excludedTotal(result.excluded),
            })}
          </span>
          {input.when.kind === 'recurring' && <span>{t('messaging.campaigns.form.confirmRecurring')}</span>}
        </Flex>
      ),
      okText: t('messaging.campaigns.form.confirmOk'),
      cancelText: t('common.cancel'),
      autoFocusButton: 'cancel',
    });
    if (!confirmed) return;
    try {
      const created = await create.mutateAsync({ input, idempotencyKey: keyFor(input) });
      void message.success(created.campaign.job ? t('messaging.campaigns.form.created') : t('messaging.campaigns.form.scheduled'));
      form.resetFields();
      setPreviewed(null);
      onCreated(created.campaign);
    } catch (error) {
      setProblem(errorMessage(error));
    }
  };

  const sendsLater = previewed !== null && new Date(previewed.sendsAt).getTime() > Date.now() + 60_000 && when === 'now';

  return (
    <Drawer
      open={open}
      onClose={close}
      title={t('messaging.campaigns.form.title')}
      size={640}
      destroyOnHidden
      footer={
        <Flex justify="flex-end" gap="small">
          <Button onClick={() => void previewNow()} loading={preview.isPending}>
            {t('messaging.campaigns.form.preview')}
          </Button>
          <Button type="primary" loading={create.isPending} onClick={() => form.submit()}>
            {t('messaging.campaigns.form.submit')}
          </Button>
        </Flex>
      }
    >
      <Form<CampaignFormValues> form={form} layout="vertical" initialValues={initialValues} onFinish={submit} onValuesChange={() => setPreviewed(null)}>
        {problem && <Alert type="error" showIcon title={problem} style={{ marginBottom: 16 }} />}
        <Form.Item
          name="name"
          label={t('messaging.campaigns.form.name')}
          rules={[{ required: true, whitespace: true, message: t('messaging.campaigns.form.required') }]}
        >
          <Input maxLength={40} placeholder={t('messaging.campaigns.form.namePlaceholder')} />
        </Form.Item>
        <Form.Item name="channel" label={t('messaging.campaigns.form.channel')} extra={t(`messaging.campaigns.form.channelHelp.${channel}`)}>
          <Radio.Group optionType="button" options={(['portal', 'sms'] as const).map((value) => ({ value, label: t(`messaging.channels.${value}`) }))} />
        </Form.Item>
        <AudienceFields audienceKind={audienceKind} label={t('messaging.campaigns.form.audience')} />
        <Form.Item
          name="title"
          label={t('messaging.campaigns.form.messageTitle')}
          rules={[{ required: true, whitespace: true, message: t('messaging.campaigns.form.required') }]}
        >
          <Input maxLength={30} placeholder={t('messaging.campaigns.form.messageTitlePlaceholder')} />
        </Form.Item>
        <Form.Item
          name="body"
          label={t('messaging.campaigns.form.body')}
          extra={t('messaging.campaigns.form.bodyHelp')}
          rules={[{ required: true, whitespace: true, message: t('messaging.campaigns.form.required') }]}
        >
          <Input.TextArea rows={4} maxLength={300} showCount />
        </Form.Item>
        {channel === 'sms' && (
          <Form.Item name="providerTemplateCode" label={t('messaging.campaigns.form.providerCode')} extra={t('messaging.templates.providerCodeHelp')}>
            <Input maxLength={40} />
          </Form.Item>
        )}
        <Flex gap="middle" wrap align="flex-start">
          <Form.Item name="when" label={t('messaging.campaigns.form.when')}>
            <Radio.Group
              optionType="button"
              options={(['now', 'at', 'recurring'] as const).map((value) => ({ value, label: t(`messaging.campaigns.form.whenKinds.${value}`) }))}
            />
          </Form.Item>
          {when === 'at' && (
            <Form.Item
              name="sendAtPicker"
              label={t('messaging.campaigns.form.sendAt')}
              rules={[{ required: true, message: t('messaging.campaigns.form.sendAtRequired') }]}
            >
              <DatePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" disabledDate={(date) => date.isBefore(dayjs().startOf('day'))} />
            </Form.Item>
          )}
        </Flex>
        {when === 'recurring' && (
          <Flex gap="middle" wrap>
            <Form.Item name="every" label={t('messaging.campaigns.form.every')}>
              <Radio.Group options={(['month', 'week'] as const).map((value) => ({ value, label: t(`messaging.campaigns.form.everyKinds.${value}`) }))} />
            </Form.Item>
            {every === 'month' ? (
              <Form.Item name="day" label={t('messaging.campaigns.form.day')}>
                <Select
                  style={{ width: 110 }}
                  options={Array.from({ length: 31 }, (_, index) => ({ value: index + 1, label: t('messaging.campaigns.form.dayOption', { day: index + 1 }) }))}
                />
              </Form.Item>
            ) : (
              <Form.Item name="weekday" label={t('messaging.campaigns.form.weekday')}>
                <Select style={{ width: 120 }} options={Array.from({ length: 7 }, (_, index) => ({ value: index + 1, label: weekday(index + 1) }))} />
              </Form.Item>
            )}
            <Form.Item name="at" label={t('messaging.campaigns.form.at')}>
              <Select style={{ width: 110 }} options={clockOptions} />
            </Form.Item>
          </Flex>
        )}
        <Form.Item name="attributionDays" label={t('messaging.campaigns.form.attributionDays')} extra={t('messaging.campaigns.form.attributionDaysHelp')}>
          <InputNumber min={1} max={90} precision={0} addonAfter={t('settings.days')} />
        </Form.Item>
        {previewed && (
          <Alert
            type={previewed.recipients > 0 ? 'info' : 'warning'}
            showIcon
            role="status"
            title={t('messaging.campaigns.form.previewTitle', { audience: previewed.audience, recipients: previewed.recipients })}
            description={
              <Flex vertical gap={4}>
                {excludedTotal(previewed.excluded) > 0 && (
                  <span>
                    {t('messaging.campaigns.form.previewExcluded', { count: excludedTotal(previewed.excluded), reasons: reasons(previewed.excluded) })}
                  </span>
                )}
                <span>
                  {sendsLater
                    ? t('messaging.campaigns.form.previewSendsLater', { time: formatTenantTime(previewed.sendsAt, timezone, 'MM-DD HH:mm') })
                    : t('messaging.campaigns.form.previewSendsAt', { time: formatTenantTime(previewed.sendsAt, timezone, 'MM-DD HH:mm') })}
                </span>
                {previewed.sample && (
                  <Typography.Text type="secondary">
                    {t('messaging.campaigns.form.sample', { name: previewed.sample.customerName })} {previewed.sample.text}
                  </Typography.Text>
                )}
              </Flex>
            }
          />
        )}
      </Form>
    </Drawer>
  );
};

/** One campaign: its progress while it runs, then what came of it. */
const CampaignDetail = ({ id, onClose, onOpenLog }: { id: string | null; onClose: () => void; onOpenLog: (campaign: Campaign) => void }) => {
  const { t } = useTranslation();
  const { modal, message } = App.useApp();
  const me = useCurrentMe();
  const errorMessage = useErrorMessage();
  const campaign = useCampaign(id);
  const cancel = useCancelCampaign();
  const { reasons, excludedTotal, when } = useCampaignText();
  const data = campaign.data;
  const job = data?.job;
  const isJobGoing = job !== undefined && job !== null && (job.status === 'queued' || job.status === 'running');
  const canCancel =
    data !== undefined && (data.status === 'scheduled' || data.status === 'active' || data.status === 'sending') && hasPermission(me, 'messages.manage');
  return (
    <Drawer open={id !== null} onClose={onClose} title={data?.name ?? t('messaging.campaigns.detail.title')} size={560} destroyOnHidden>
      {campaign.isError && <Alert type="error" showIcon title={errorMessage(campaign.error)} />}
      {data && (
        <Flex vertical gap="middle">
          <Descriptions
            column={1}
            size="small"
            items={[
              {
                key: 'status',
                label: t('messaging.campaigns.columns.status'),
                children: <Tag color={statusColors[data.status]}>{t(`messaging.campaigns.statuses.${data.status}`)}</Tag>,
              },
              { key: 'channel', label: t('messaging.campaigns.columns.channel'), children: t(`messaging.channels.${data.channel}`) },
              { key: 'when', label: t('messaging.campaigns.columns.when'), children: when(data) },
              { key: 'body', label: t('messaging.campaigns.detail.body'), children: data.body },
            ]}
          />
          {job && (
            <Flex vertical gap={4}>
              <Typography.Text type="secondary">{t('messaging.campaigns.detail.progress')}</Typography.Text>
              <Progress
                percent={job.progress.total ? Math.round((job.progress.done / job.progress.total) * 100) : job.status === 'succeeded' ? 100 : 0}
                status={job.status === 'failed' ? 'exception' : isJobGoing ? 'active' : 'success'}
              />
            </Flex>
          )}
          <Flex gap="large" wrap>
            <Statistic title={t('messaging.campaigns.detail.recipients')} value={data.results.messages} />
            <Statistic title={t('messaging.campaigns.detail.sent')} value={data.results.sent} />
            <Statistic title={t('messaging.campaigns.detail.delivered')} value={data.results.delivered} />
            <Statistic title={t('messaging.campaigns.detail.read')} value={data.results.read} />
            <Statistic title={t('messaging.campaigns.detail.queued')} value={data.results.queued} />
            <Statistic title={t('messaging.campaigns.detail.failed')} value={data.results.failed} />
            <Statistic title={t('messaging.campaigns.detail.excluded')} value={data.results.suppressed} />
          </Flex>
          {excludedTotal(data.results.excluded) > 0 && <Typography.Text type="secondary">{reasons(data.results.excluded)}</Typography.Text>}
          <Statistic
            title={t('messaging.campaigns.detail.orders', { days: data.attributionDays })}
            value={t('messaging.campaigns.detail.ordersValue', { count: data.results.orderedCustomers, amount: formatYuan(data.results.orderedFen) })}
          />
          <Flex gap="small">
            <Button onClick={() => onOpenLog(data)}>{t('messaging.campaigns.detail.openLog')}</Button>
            {canCancel && (
              <Button
                danger
                loading={cancel.isPending}
                onClick={async () => {
                  const confirmed = await modal.confirm({
                    title: t('messaging.campaigns.detail.cancel'),
                    content: t('messaging.campaigns.detail.cancelConfirm'),
                  });
                  if (!confirmed) return;
                  try {
                    await cancel.mutateAsync(data.id);
                    void message.success(t('messaging.campaigns.detail.cancelled'));
                  } catch (error) {
                    void message.error(errorMessage(error));
                  }
                }}
              >
                {t('messaging.campaigns.detail.cancel')}
              </Button>
            )}
          </Flex>
        </Flex>
      )}
    </Drawer>
  );
};

/** 群发: the campaigns with their reach and the orders that followed; a new one previewed and confirmed. */
export const Campaigns = ({ onOpenLog }: { onOpenLog: (campaign: Campaign) => void }) => {
  const { t } = useTranslation();
  const me = useCurrentMe();
  const errorMessage = useErrorMessage();
  const [page, setPage] = useState(1);
  const [isCreating, setCreating] = useState(false);
  const [openId, setOpenId] = useState<string | null>(null);
  const campaigns = useCampaigns(page);
  const { when } = useCampaignText();
  return (
    <Flex vertical gap="small">
      <Flex justify="space-between" align="center" gap="middle" wrap>
        <Typography.Text type="secondary" style={{ maxWidth: 760 }}>
          {t('messaging.campaigns.intro')}
        </Typography.Text>
        {hasPermission(me, 'messages.manage') && (
          <Button type="primary" onClick={() => setCreating(true)}>
            {t('messaging.campaigns.create')}
          </Button>
        )}
      </Flex>
      {campaigns.isError && <Alert type="error" showIcon title={errorMessage(campaigns.error)} />}
      <Table<Campaign>
        rowKey="id"
        size="middle"
        loading={campaigns.isPending}
        dataSource={campaigns.data?.items ?? []}
        locale={{ emptyText: t('messaging.campaigns.empty') }}
        onRow={(row) => ({ onClick: () => setOpenId(row.id), style: { cursor: 'pointer' } })}
        pagination={{ current: page, pageSize: 20, total: campaigns.data?.total ?? 0, onChange: setPage, showSizeChanger: false }}
        columns={[
          {
            key: 'name',
            title: t('messaging.campaigns.columns.name'),
            render: (_, row) => <Typography.Link onClick={() => setOpenId(row.id)}>{row.name}</Typography.Link>,
          },
          { key: 'channel', title: t('messaging.campaigns.columns.channel'), render: (_, row) => t(`messaging.channels.${row.channel}`) },
          { key: 'when', title: t('messaging.campaigns.columns.when'), render: (_, row) => when(row) },
          {
            key: 'status',
            title: t('messaging.campaigns.columns.status'),
            render: (_, row) => <Tag color={statusColors[row.status]}>{t(`messaging.campaigns.statuses.${row.status}`)}</Tag>,
          },
          { key: 'reach', title: t('messaging.campaigns.columns.reach'), align: 'right', render: (_, row) => `${row.results.sent} / ${row.results.messages}` },
          {
            key: 'orders',
            title: t('messaging.campaigns.columns.orders'),
            align: 'right',
            render: (_, row) => t('messaging.campaigns.ordersCell', { count: row.results.orderedCustomers, amount: formatYuan(row.results.orderedFen) }),
          },
        ]}
      />
      <CampaignFormDrawer
        open={isCreating}
        onClose={() => setCreating(false)}
        onCreated={(campaign) => {
          setCreating(false);
          setOpenId(campaign.id);
        }}
      />
      <CampaignDetail id={openId} onClose={() => setOpenId(null)} onOpenLog={onOpenLog} />
    </Flex>
  );
};
