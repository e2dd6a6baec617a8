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
  Popconfirm,
  Progress,
  Radio,
  Select,
  Skeleton,
  Statistic,
  Table,
  Tag,
  Typography,
} from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useCan } from '../auth/me-context';
import { useErrorMessage } from '../common/error-message';
import { useTenantToday } from '../common/tenant-time';
import { useIdempotencyKey } from '../common/use-idempotency-key';
import { useStaff } from '../customers/customer-queries';
import { useStaffOptions } from '../customers/options';
import { AudienceFilterFields } from '../vouchers/audience-filter-fields';
import { type AudienceFilterValues, audienceFilterOf } from '../vouchers/distribution-form-values';
import {
  type Campaign,
  type CampaignInput,
  type CampaignPreview,
  useCampaign,
  useCampaignPreview,
  useCampaigns,
  useCancelCampaign,
  useCreateCampaign,
} from './campaign-queries';

type Values = AudienceFilterValues & {
  name: string;
  maxCount?: number | null;
  goal?: number | null;
  staffIds?: string[];
  dueOn?: Dayjs;
  channel: 'call' | 'wechat' | 'sms';
  script?: string;
};

const statusColors = { running: 'processing', done: 'green', cancelled: 'default' } as const;

/** Reached of the goal as a bar (it may pass the goal: the bar stops full, the figures go on). */
const GoalBar = ({ reached, goal, percent }: { reached: number; goal: number; percent: number }) => {
  const { t } = useTranslation();
  return (
    <Flex vertical gap={0} style={{ minWidth: 160 }}>
      <Progress percent={Math.min(percent, 100)} size="small" showInfo={false} status={percent >= 100 ? 'success' : 'normal'} />
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {t('followups.campaigns.goalFigures', { reached, goal, percent })}
      </Typography.Text>
    </Flex>
  );
};

/** 新建呼叫活动: who (a filter, the best N by value), who calls, by when, how; figures shown before it is confirmed. */
const CampaignDrawer = ({ onClose, onCreated }: { onClose: () => void; onCreated: (id: string) => void }) => {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const errorMessage = useErrorMessage();
  const [form] = Form.useForm<Values>();
  const staff = useStaff();
  const staffOptions = useStaffOptions(staff.data?.items ?? []);
  const preview = useCampaignPreview();
  const create = useCreateCampaign();
  const keyFor = useIdempotencyKey();
  const [previewed, setPreviewed] = useState<CampaignPreview | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const today = dayjs(useTenantToday());

  const bodyOf = (values: Values): CampaignInput => ({
    name: values.name.trim(),
    audience: { kind: 'filter', filter: audienceFilterOf(values) },
    maxCount: values.maxCount ?? null,
    goal: values.goal ?? 1,
    dueOn: (values.dueOn ?? today).format('YYYY-MM-DD'),
    staffIds: values.staffIds ?? [],
    channel: values.channel,
    script: values.script ?? '',
  });

  const showPreview = async () => {
    setProblem(null);
    let values: Values;
    try {
      values = await form.validateFields();
    } catch {
      return;
    }
    try {
      const body = bodyOf(values);
      setPreviewed(await preview.mutateAsync({ audience: body.audience, maxCount: body.maxCount, staffIds: body.staffIds }));
    } catch (error) {
      setProblem(errorMessage(error));
    }
  };

  const confirm = async () => {
    setProblem(null);
    const body = bodyOf(form.getFieldsValue(true) as Values);
    try {
      const created = await create.mutateAsync({ body, idempotencyKey: keyFor(body) });
      void message.success(t('followups.campaigns.created'));
      onCreated(created.campaign.id);
    } catch (error) {
      setProblem(errorMessage(error));
    }
  };

  return (
    <Drawer
      open
      size={640}
      title={t('followups.campaigns.add')}
      onClose={onClose}
      footer={
        <Flex justify="flex-end" gap="small">
          <Button onClick={() => void showPreview()} loading={preview.isPending}>
            {t('followups.campaigns.preview')}
          </Button>
          <Button type="primary" disabled={!previewed || previewed.assigned === 0} loading={create.isPending} onClick={() => void confirm()}>
            {t('followups.campaigns.confirm')}
          </Button>
        </Flex>
      }
    >
      <Form<Values>
        form={form}
        layout="vertical"
        initialValues={{ name: '', channel: 'call', dueOn: today.add(4, 'day'), goal: 100, maxCount: null }}
        onValuesChange={() => setPreviewed(null)}
      >
        {problem && <Alert type="error" showIcon title={problem} style={{ marginBottom: 16 }} />}
        <Form.Item
          name="name"
          label={t('followups.campaigns.name')}
          rules={[{ required: true, whitespace: true, message: t('followups.campaigns.nameRequired') }]}
        >
          <Input maxLength={40} placeholder={t('followups.campaigns.namePlaceholder')} />
        </Form.Item>
        <Typography.Title level={5}>{t('followups.campaigns.audience')}</Typography.Title>
        <Typography.Paragraph type="secondary">{t('followups.campaigns.audienceHelp')}</Typography.Paragraph>
        <AudienceFilterFields />
        <Flex gap="middle" wrap>
          <Form.Item name="maxCount" label={t('followups.campaigns.maxCount')} extra={t('followups.campaigns.maxCountHelp')}>
            <InputNumber min={1} max={100_000} precision={0} placeholder={t('followups.campaigns.noMax')} style={{ width: 180 }} />
          </Form.Item>
          <Form.Item
            name="goal"
            label={t('followups.campaigns.goal')}
            extra={t('followups.campaigns.goalHelp')}
            rules={[{ required: true, message: t('followups.campaigns.goalRequired') }]}
          >
            <InputNumber min={1} max={100_000} precision={0} style={{ width: 180 }} />
          </Form.Item>
        </Flex>
        <Form.Item
          name="staffIds"
          label={t('followups.campaigns.staff')}
          extra={t('followups.campaigns.staffHelp')}
          rules={[{ required: true, type: 'array', min: 1, message: t('followups.campaigns.staffRequired') }]}
        >
          <Select mode="multiple" optionFilterProp="label" loading={staff.isPending} options={staffOptions} />
        </Form.Item>
        <Flex gap="middle" wrap>
          <Form.Item name="dueOn" label={t('followups.campaigns.dueOn')} rules={[{ required: true, message: t('followups.campaigns.dueOn') }]}>
            <DatePicker disabledDate={(date) => date.isBefore(today, 'day')} />
          </Form.Item>
          <Form.Item name="channel" label={t('followups.rules.channel')}>
            <Radio.Group
              optionType="button"
              options={(['call', 'wechat', 'sms'] as const).map((value) => ({ value, label: t(`followups.channels.${value}`) }))}
            />
          </Form.Item>
        </Flex>
        <Form.Item name="script" label={t('followups.script')}>
          <Input.TextArea autoSize={{ minRows: 2, maxRows: 6 }} maxLength={500} placeholder={t('followups.campaigns.scriptPlaceholder')} />
        </Form.Item>
        {previewed && (
          <Alert
            type={previewed.assigned === 0 ? 'warning' : 'info'}
            showIcon
            title={t('followups.campaigns.previewResult', { matched: previewed.matched, assigned: previewed.assigned })}
            description={
              <Flex vertical gap={2}>
                <Typography.Text>{t('followups.campaigns.previewOrder')}</Typography.Text>
                {previewed.staff.map((share) => (
                  <Typography.Text key={share.staffId}>{t('followups.campaigns.previewShare', { name: share.name, count: share.count })}</Typography.Text>
                ))}
              </Flex>
            }
          />
        )}
      </Form>
    </Drawer>
  );
};

/** One campaign: its figures, each caller's progress, and cancelling it. */
const CampaignDetailDrawer = ({ id, onClose }: { id: string; onClose: () => void }) => {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const errorMessage = useErrorMessage();
  const canManage = useCan('followups.manage');
  const campaign = useCampaign(id);
  const cancel = useCancelCampaign();
  const data = campaign.data;

  const doCancel = async () => {
    try {
      await cancel.mutateAsync(id);
      void message.success(t('followups.campaigns.cancelled'));
    } catch (error) {
      void message.error(errorMessage(error));
    }
  };

  return (
    <Drawer
      open
      size={720}
      title={data?.name ?? t('followups.campaigns.title')}
      onClose={onClose}
      extra={
        canManage &&
        data?.status === 'running' && (
          <Popconfirm
            title={t('followups.campaigns.cancelConfirm')}
            description={t('followups.campaigns.cancelHelp')}
            okText={t('followups.campaigns.cancel')}
            cancelText={t('common.cancel')}
            onConfirm={() => void doCancel()}
          >
            <Button danger loading={cancel.isPending}>
              {t('followups.campaigns.cancel')}
            </Button>
          </Popconfirm>
        )
      }
    >
      {campaign.isError && <Alert type="error" showIcon title={errorMessage(campaign.error)} />}
      {!data ? (
        <Skeleton active paragraph={{ rows: 6 }} />
      ) : (
        <Flex vertical gap="middle">
          {data.isAssigning && (
            <Alert
              type="info"
              showIcon
              title={t('followups.campaigns.assigning', { done: data.job?.progress.done ?? 0, total: data.job?.progress.total ?? 0 })}
            />
          )}
          <Descriptions size="small" column={2} bordered styles={{ label: { whiteSpace: 'nowrap' } }}>
            <Descriptions.Item label={t('followups.campaigns.status')}>
              <Tag color={statusColors[data.status]}>{t(`followups.campaigns.statuses.${data.status}`)}</Tag>
            </Descriptions.Item>
            <Descriptions.Item label={t('followups.campaigns.dueOn')}>{data.dueOn}</Descriptions.Item>
            <Descriptions.Item label={t('followups.rules.channel')}>{t(`followups.channels.${data.channel}`)}</Descriptions.Item>
            <Descriptions.Item label={t('followups.campaigns.maxCount')}>{data.maxCount ?? t('followups.campaigns.noMax')}</Descriptions.Item>
            {data.script && (
              <Descriptions.Item label={t('followups.script')} span={2}>
                {data.script}
              </Descriptions.Item>
            )}
          </Descriptions>
          <GoalBar reached={data.progress.reached} goal={data.goal} percent={data.goalPercent} />
          <Flex gap="large" wrap>
            <Statistic title={t('followups.campaigns.figures.total')} value={data.progress.total} />
            <Statistic title={t('followups.campaigns.figures.done')} value={data.progress.done} />
            <Statistic title={t('followups.campaigns.figures.reached')} value={data.progress.reached} />
            <Statistic title={t('followups.outcomes.booked')} value={data.progress.booked} />
            <Statistic title={t('followups.outcomes.declined')} value={data.progress.declined} />
            <Statistic title={t('followups.outcomes.no_answer')} value={data.progress.noAnswer} />
            <Statistic title={t('followups.outcomes.wrong_number')} value={data.progress.wrongNumber} />
            <Statistic title={t('followups.campaigns.figures.open')} value={data.progress.open} />
            {data.progress.cancelled > 0 && <Statistic title={t('followups.campaigns.figures.cancelled')} value={data.progress.cancelled} />}
          </Flex>
          <Table
            size="small"
            rowKey="staffId"
            pagination={false}
            dataSource={data.staff}
            columns={[
              { key: 'name', title: t('followups.campaigns.caller'), dataIndex: 'name' },
              { key: 'total', title: t('followups.campaigns.figures.total'), dataIndex: 'total', width: 80 },
              {
                key: 'progress',
                title: t('followups.campaigns.figures.done'),
                render: (_, row) => (
                  <Flex vertical gap={0} style={{ minWidth: 140 }}>
                    <Progress percent={row.total === 0 ? 0 : Math.round((row.done / row.total) * 100)} size="small" />
                  </Flex>
                ),
              },
              { key: 'reached', title: t('followups.campaigns.figures.reached'), dataIndex: 'reached', width: 80 },
              { key: 'booked', title: t('followups.outcomes.booked'), dataIndex: 'booked', width: 80 },
              { key: 'open', title: t('followups.campaigns.figures.open'), dataIndex: 'open', width: 80 },
            ]}
          />
        </Flex>
      )}
    </Drawer>
  );
};

/** 呼叫活动: the list with each campaign's progress towards its goal, a new one, and one's detail. */
export const CallCampaigns = () => {
  const { t } = useTranslation();
  const errorMessage = useErrorMessage();
  const canManage = useCan('followups.manage');
  const [page, setPage] = useState(1);
  const campaigns = useCampaigns(page);
  const [isCreating, setIsCreating] = useState(false);
  const [openId, setOpenId] = useState<string | null>(null);
  if (campaigns.isError) return <Alert type="error" showIcon title={errorMessage(campaigns.error)} />;
  return (
    <Flex vertical gap="middle">
      <Flex justify="space-between" align="center" wrap gap="small">
        <Typography.Text type="secondary">{t('followups.campaigns.intro')}</Typography.Text>
        {canManage && (
          <Button type="primary" onClick={() => setIsCreating(true)}>
            {t('followups.campaigns.add')}
          </Button>
        )}
      </Flex>
      <Table<Campaign>
        size="small"
        rowKey="id"
        loading={campaigns.isPending}
        dataSource={campaigns.data?.items ?? []}
        locale={{ emptyText: t('followups.campaigns.empty') }}
        pagination={{ current: page, pageSize: 20, total: campaigns.data?.total ?? 0, onChange: setPage, showSizeChanger: false, hideOnSinglePage: true }}
        columns={[
          {
            key: 'name',
            title: t('followups.campaigns.name'),
            render: (_, campaign) => (
              <Button type="link" style={{ padding: 0 }} onClick={() => setOpenId(campaign.id)}>
                {campaign.name}
              </Button>
            ),
          },
          {
            key: 'status',
            title: t('followups.campaigns.status'),
            width: 100,
            render: (_, campaign) => (
              <Tag color={statusColors[campaign.status]}>
                {campaign.isAssigning ? t('followups.campaigns.statuses.assigning') : t(`followups.campaigns.statuses.${campaign.status}`)}
              </Tag>
            ),
          },
          {
            key: 'goal',
            title: t('followups.campaigns.goalColumn'),
            render: (_, campaign) => <GoalBar reached={campaign.progress.reached} goal={campaign.goal} percent={campaign.goalPercent} />,
          },
          {
            key: 'done',
            title: t('followups.campaigns.doneColumn'),
            width: 120,
            render: (_, campaign) => t('followups.campaigns.doneOf', { done: campaign.progress.done, total: campaign.progress.total }),
          },
          { key: 'due', title: t('followups.campaigns.dueOn'), dataIndex: 'dueOn', width: 110 },
          { key: 'staff', title: t('followups.campaigns.staff'), width: 90, render: (_, campaign) => campaign.staffIds.length },
        ]}
      />
      {isCreating && (
        <CampaignDrawer
          onClose={() => setIsCreating(false)}
          onCreated={(id) => {
            setIsCreating(false);
            setOpenId(id);
          }}
        />
      )}
      {openId && <CampaignDetailDrawer id={openId} onClose={() => setOpenId(null)} />}
    </Flex>
  );
};
