import { DownloadOutlined, WarningOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Col, DatePicker, Flex, Progress, Row, Space, Statistic, Table, Tag, Tooltip, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { formatYuan } from '../../shared/money';
import { useErrorMessage } from '../common/error-message';
import { useTenantToday } from '../common/tenant-time';
import { type ReferralReportRow, rewardsCsvUrl, useReferralReport } from './referral-queries';

/**
 * 转介绍报表: the period's referrals as a funnel (登记 → 到店 → 成交), the referral conversion
 * rate, the share of first deals and of deal orders that came by referral, the rewards, and one
 * row per referrer with her partner level and the unusual-activity flag; the rewards ledger as CSV.
 */
export const ReferralReport = () => {
  const { t } = useTranslation();
  const errorMessage = useErrorMessage();
  const today = useTenantToday();
  const [range, setRange] = useState<[string, string]>([dayjs(today).subtract(29, 'day').format('YYYY-MM-DD'), today]);
  const query = { from: range[0], to: range[1] };
  const report = useReferralReport(query);
  const data = report.data;

  const columns: ColumnsType<ReferralReportRow> = [
    {
      key: 'name',
      title: t('referrals.report.columns.name'),
      render: (_, row) => (
        <Space size={4} wrap>
          <Link to={`/customers/${row.customerId}`}>{row.name}</Link>
          {row.isFlagged && (
            <Tooltip title={t('referrals.report.flaggedHelp', { threshold: data?.flagThreshold ?? 0 })}>
              <Tag color="warning" icon={<WarningOutlined />}>
                {t('referrals.report.flagged')}
              </Tag>
            </Tooltip>
          )}
        </Space>
      ),
    },
    { key: 'referred', title: t('referrals.report.columns.referred'), dataIndex: 'referred', align: 'right' },
    { key: 'arrived', title: t('referrals.report.columns.arrived'), dataIndex: 'arrived', align: 'right' },
    { key: 'dealt', title: t('referrals.report.columns.dealt'), dataIndex: 'dealt', align: 'right' },
    { key: 'rewards', title: t('referrals.report.columns.rewards'), dataIndex: 'rewardsGiven', align: 'right' },
    { key: 'points', title: t('referrals.report.columns.points'), align: 'right', render: (_, row) => row.pointsGiven.toLocaleString('en-US') },
    {
      key: 'capped',
      title: t('referrals.report.columns.capped'),
      align: 'right',
      render: (_, row) => (row.capped > 0 ? <Tag color="orange">{row.capped}</Tag> : 0),
    },
    { key: 'last30', title: t('referrals.report.columns.last30'), dataIndex: 'referralsLast30Days', align: 'right' },
    { key: 'level', title: t('referrals.report.columns.level'), render: (_, row) => <Tag color="magenta">{row.partnerLevel}</Tag> },
  ];

  const rate = (value: number | undefined) => `${(value ?? 0).toFixed(1)}%`;

  return (
    <Flex vertical gap="middle">
      <Flex justify="space-between" align="center" wrap gap="small">
        <Typography.Text type="secondary">{t('referrals.report.periodHelp')}</Typography.Text>
        <Space wrap>
          <DatePicker.RangePicker
            aria-label={t('referrals.report.range')}
            allowClear={false}
            value={[dayjs(range[0]), dayjs(range[1])]}
            onChange={(dates) => {
              const [from, to] = (dates ?? []) as [Dayjs | null, Dayjs | null];
              if (from && to) setRange([from.format('YYYY-MM-DD'), to.format('YYYY-MM-DD')]);
            }}
          />
          <Button icon={<DownloadOutlined />} href={rewardsCsvUrl(query)}>
            {t('referrals.report.export')}
          </Button>
        </Space>
      </Flex>
      {report.isError && <Alert type="error" showIcon title={errorMessage(report.error)} />}
      <Row gutter={[16, 16]} data-testid="referral-funnel">
        <Col xs={12} md={6} xl={4}>
          <Card size="small" loading={report.isPending}>
            <Statistic title={t('referrals.report.cards.referred')} value={data?.funnel.referred ?? 0} />
          </Card>
        </Col>
        <Col xs={12} md={6} xl={4}>
          <Card size="small" loading={report.isPending}>
            <Statistic title={t('referrals.report.cards.arrived')} value={data?.funnel.arrived ?? 0} />
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {t('referrals.report.arrivalRate', { rate: (data?.funnel.arrivalRatePercent ?? 0).toFixed(1) })}
            </Typography.Text>
          </Card>
        </Col>
        <Col xs={12} md={6} xl={4}>
          <Card size="small" loading={report.isPending}>
            <Statistic title={t('referrals.report.cards.dealt')} value={data?.funnel.dealt ?? 0} />
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {t('referrals.report.arrivedToDealt', { rate: (data?.funnel.arrivedToDealtPercent ?? 0).toFixed(1) })}
            </Typography.Text>
          </Card>
        </Col>
        <Col xs={12} md={6} xl={4}>
          <Card size="small" loading={report.isPending}>
            <Statistic title={t('referrals.report.cards.conversion')} value={rate(data?.funnel.conversionRatePercent)} />
            <Progress percent={data?.funnel.conversionRatePercent ?? 0} showInfo={false} size="small" />
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {t('referrals.report.conversionHelp')}
            </Typography.Text>
          </Card>
        </Col>
        <Col xs={12} md={6} xl={4}>
          <Card size="small" loading={report.isPending}>
            <Statistic title={t('referrals.report.cards.firstDealShare')} value={rate(data?.firstDeals.sharePercent)} />
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {t('referrals.report.firstDealShareHelp', { total: data?.firstDeals.total ?? 0, count: data?.firstDeals.byReferral ?? 0 })}
            </Typography.Text>
          </Card>
        </Col>
        <Col xs={12} md={6} xl={4}>
          <Card size="small" loading={report.isPending}>
            <Statistic title={t('referrals.report.cards.dealOrderShare')} value={rate(data?.dealOrders.sharePercent)} />
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {t('referrals.report.dealOrderShareHelp', { total: data?.dealOrders.total ?? 0, count: data?.dealOrders.byReferral ?? 0 })}
            </Typography.Text>
          </Card>
        </Col>
        <Col xs={12} md={6} xl={4}>
          <Card size="small" loading={report.isPending}>
            <Statistic title={t('referrals.report.cards.pointsGiven')} value={(data?.rewards.pointsGiven ?? 0).toLocaleString('en-US')} />
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {t('referrals.report.rewardsHelp', {
                given: data?.rewards.given ?? 0,
                clawedBack: data?.rewards.clawedBack ?? 0,
                value: formatYuan(data?.rewards.valueFen ?? 0),
              })}
            </Typography.Text>
          </Card>
        </Col>
        <Col xs={12} md={6} xl={4}>
          <Card size="small" loading={report.isPending}>
            <Statistic title={t('referrals.report.cards.capped')} value={data?.rewards.capped ?? 0} />
          </Card>
        </Col>
      </Row>
      <Card size="small" title={t('referrals.report.referrers')}>
        <Table<ReferralReportRow>
          rowKey="customerId"
          size="small"
          loading={report.isPending}
          columns={columns}
          dataSource={data?.referrers ?? []}
          pagination={{ pageSize: 20, hideOnSinglePage: true }}
          locale={{ emptyText: t('referrals.report.empty') }}
          scroll={{ x: 'max-content' }}
          data-testid="referral-referrers"
        />
      </Card>
    </Flex>
  );
};
