import {
  Alert,
  App,
  Button,
  Card,
  Col,
  Descriptions,
  Flex,
  Form,
  Input,
  Modal,
  Progress,
  Row,
  Select,
  Skeleton,
  Statistic,
  Table,
  Tag,
  Typography,
} from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatYuan } from '../../shared/money';
import { useCan } from '../auth/me-context';
import { useErrorMessage } from '../common/error-message';
import { useServerText } from '../common/server-text';
import { formatTenantTime, useTenantTimezone } from '../common/tenant-time';
import { type Membership, type TierChange, useChangeTier, useCustomerMembership, useTiers } from './membership-queries';
import { useTierText } from './tier-text';

const directionColors: Record<TierChange['direction'], string> = { up: 'green', down: 'red', manual: 'gold' };
const shown = (criterion: string, value: number) =>
  criterion === 'consumptionFen' || criterion === 'topUpFen' ? formatYuan(value) : value.toLocaleString('en-US');

/** 会员 on the customer 360 page: the tier, progress to the next tier with the figures, birthday benefit, gifts and history. */
export const CustomerMembershipTab = ({ customerId }: { customerId: string }) => {
  const { t } = useTranslation();
  const errorMessage = useErrorMessage();
  const membership = useCustomerMembership(customerId);
  const canAdjust = useCan('membership.adjust');
  const [isChanging, setChanging] = useState(false);
  if (membership.isPending) return <Skeleton active paragraph={{ rows: 6 }} />;
  if (membership.isError) return <Alert type="error" showIcon title={errorMessage(membership.error)} />;
  const data = membership.data;
  return (
    <Flex vertical gap="middle" data-testid="customer-membership">
      {!data.isEnabled && <Alert type="warning" showIcon title={t('membership.customer.disabled')} />}
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={10}>
          <CurrentTierCard data={data} onChange={canAdjust ? () => setChanging(true) : undefined} />
        </Col>
        <Col xs={24} lg={14}>
          <ProgressCard data={data} />
        </Col>
      </Row>
      <HistoryTable history={data.history} />
      {isChanging && <ChangeTierModal customerId={customerId} currentTierId={data.tier?.id ?? null} onClose={() => setChanging(false)} />}
    </Flex>
  );
};

const CurrentTierCard = ({ data, onChange }: { data: Membership; onChange?: () => void }) => {
  const { t } = useTranslation();
  const timezoneName = useTenantTimezone();
  const text = useTierText(data.categoryNames);
  const benefits = data.tier ? text.benefits(data.tier.benefits) : [];
  return (
    <Card
      size="small"
      title={t('membership.customer.current')}
      extra={
        onChange && (
          <Button size="small" onClick={onChange}>
            {t('membership.customer.change')}
          </Button>
        )
      }
    >
      <Flex vertical gap="small">
        <Flex align="baseline" gap="small" wrap>
          <Typography.Title level={3} style={{ margin: 0 }} data-testid="membership-tier-name">
            {data.tier?.name ?? t('membership.customer.noTier')}
          </Typography.Title>
          {data.since && (
            <Typography.Text type="secondary">
              {t('membership.customer.since', { date: formatTenantTime(data.since, timezoneName, 'YYYY-MM-DD') })}
            </Typography.Text>
          )}
          {data.periodEndsOn && <Tag>{t('membership.customer.periodEndsOn', { date: data.periodEndsOn })}</Tag>}
        </Flex>
        {data.tier && (
          <Descriptions size="small" column={1}>
            <Descriptions.Item label={t('membership.customer.benefits')}>
              {benefits.length === 0 ? t('membership.benefits.none') : benefits.join(t('common.clauseSeparator'))}
            </Descriptions.Item>
            <Descriptions.Item label={t('membership.customer.birthday')}>
              <BirthdayText data={data} />
            </Descriptions.Item>
          </Descriptions>
        )}
        {data.pendingGifts.length > 0 && (
          <Alert
            type="success"
            showIcon
            title={t('membership.customer.gifts')}
            description={data.pendingGifts.map((gift) => `${gift.name}（${formatYuan(gift.faceValueFen)}）×${gift.quantity}`).join(t('common.clauseSeparator'))}
          />
        )}
      </Flex>
    </Card>
  );
};

const BirthdayText = ({ data }: { data: Membership }) => {
  const { t } = useTranslation();
  const text = useTierText(data.categoryNames);
  if (!data.birthday.calendar) return <Typography.Text type="secondary">{t('membership.customer.birthdayNone')}</Typography.Text>;
  if (data.birthday.isAvailable)
    return <Tag color="magenta">{t('membership.customer.birthdayNow', { benefit: text.birthdayBenefit(data.tier?.benefits.birthday ?? null) })}</Tag>;
  return (
    <Typography.Text>
      {text.birthdayBenefit(data.tier?.benefits.birthday ?? null)} ·{' '}
      {t('membership.customer.birthdayLater', {
        dates: data.birthday.dates.join('、'),
        calendar: t(`membership.customer.calendars.${data.birthday.calendar}`),
      })}
    </Typography.Text>
  );
};

const ProgressCard = ({ data }: { data: Membership }) => {
  const { t } = useTranslation();
  const text = useTierText(data.categoryNames);
  const { figures } = data;
  return (
    <Card size="small" title={t('membership.customer.figures', { months: figures.windowMonths, from: figures.from, to: figures.to })}>
      <Flex vertical gap="middle">
        <Row gutter={16}>
          <Col span={6}>
            <Statistic title={t('membership.customer.growth')} value={figures.growth} />
          </Col>
          <Col span={6}>
            <Statistic title={t('membership.customer.consumption')} value={formatYuan(figures.consumptionFen)} />
          </Col>
          <Col span={6}>
            <Statistic title={t('membership.customer.visits')} value={figures.visits} />
          </Col>
          <Col span={6}>
            <Statistic title={t('membership.customer.topUp')} value={formatYuan(figures.largestTopUpFen)} />
          </Col>
        </Row>
        {data.next ? (
          <Flex vertical gap={4} data-testid="membership-progress">
            <Flex justify="space-between">
              <Typography.Text strong>{t('membership.customer.next', { name: data.next.tier.name })}</Typography.Text>
              <Typography.Text type="secondary">{t(data.next.match === 'all' ? 'membership.customer.nextAll' : 'membership.customer.nextAny')}</Typography.Text>
            </Flex>
            <Progress percent={data.next.percent} status="active" />
            {data.next.items.map((item) => (
              <Typography.Text key={item.criterion} type={item.isMet ? 'success' : 'secondary'}>
                {t('membership.customer.progressItem', {
                  criterion: t(`membership.criterionNames.${item.criterion}`),
                  current: shown(item.criterion, item.current),
                  target: shown(item.criterion, item.target),
                })}
              </Typography.Text>
            ))}
            <Typography.Text type="secondary">
              {t('membership.customer.unlocks')}
              {t('common.colon')}
              {text.benefits(data.next.tier.benefits).join(t('common.clauseSeparator')) || t('membership.benefits.none')}
            </Typography.Text>
          </Flex>
        ) : (
          data.tier && <Typography.Text type="success">{t('membership.customer.top')}</Typography.Text>
        )}
      </Flex>
    </Card>
  );
};

const HistoryTable = ({ history }: { history: TierChange[] }) => {
  const { t } = useTranslation();
  const serverText = useServerText();
  const timezoneName = useTenantTimezone();
  return (
    <Card size="small" title={t('membership.customer.history')}>
      <Table<TierChange>
        size="small"
        rowKey="id"
        dataSource={history}
        pagination={{ pageSize: 10, hideOnSinglePage: true }}
        locale={{ emptyText: t('membership.customer.historyEmpty') }}
        columns={[
          {
            key: 'date',
            title: t('membership.customer.historyColumns.date'),
            width: 150,
            render: (_, row) => formatTenantTime(row.createdAt, timezoneName, 'YYYY-MM-DD HH:mm'),
          },
          {
            key: 'change',
            title: t('membership.customer.historyColumns.change'),
            render: (_, row) => (
              <Flex gap={4} align="center">
                <Tag color={directionColors[row.direction]}>{t(`membership.customer.directions.${row.direction}`)}</Tag>
                {row.fromTier.name ?? t('membership.none')} → {row.toTier.name ?? t('membership.none')}
              </Flex>
            ),
          },
          {
            key: 'cause',
            title: t('membership.customer.historyColumns.cause'),
            render: (_, row) => t(`membership.customer.causes.${row.cause}` as 'membership.customer.causes.manual', { defaultValue: row.cause }),
          },
          {
            key: 'reasons',
            title: t('membership.customer.historyColumns.reasons'),
            render: (_, row) => (
              <Flex vertical>
                {row.reasons.map((reason) => (
                  <Typography.Text key={reason}>{serverText.tierReason(reason)}</Typography.Text>
                ))}
              </Flex>
            ),
          },
        ]}
      />
    </Card>
  );
};

const ChangeTierModal = ({ customerId, currentTierId, onClose }: { customerId: string; currentTierId: string | null; onClose: () => void }) => {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const errorMessage = useErrorMessage();
  const tiers = useTiers();
  const change = useChangeTier(customerId);
  const [form] = Form.useForm<{ tierId: string; reason: string }>();
  return (
    <Modal
      open
      title={t('membership.customer.changeTitle')}
      onCancel={onClose}
      onOk={() => form.submit()}
      confirmLoading={change.isPending}
      okText={t('membership.form.submit')}
      cancelText={t('membership.form.cancel')}
    >
      <Form
        form={form}
        layout="vertical"
        onFinish={(values) =>
          change.mutateAsync({ tierId: values.tierId, reason: values.reason }).then(
            () => {
              void message.success(t('membership.customer.changed'));
              onClose();
            },
            (error: unknown) => void message.error(errorMessage(error)),
          )
        }
      >
        <Form.Item name="tierId" label={t('membership.customer.changeTier')} rules={[{ required: true }]}>
          <Select
            options={(tiers.data?.items ?? []).map((tier) => ({ value: tier.id, label: tier.name, disabled: tier.id === currentTierId }))}
            loading={tiers.isPending}
          />
        </Form.Item>
        <Form.Item
          name="reason"
          label={t('membership.customer.changeReason')}
          extra={t('membership.customer.changeReasonHelp')}
          rules={[{ required: true, whitespace: true, max: 200 }]}
        >
          <Input.TextArea rows={2} maxLength={200} />
        </Form.Item>
      </Form>
    </Modal>
  );
};
