import { DownloadOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Col, DatePicker, Flex, Row, Select, Space, Statistic, Table, Tabs, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Bar, BarChart, CartesianGrid, Cell, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { formatYuan } from '../../shared/money';
import { useErrorMessage } from '../common/error-message';
import { useTenantToday } from '../common/tenant-time';
import { type StatsQuery, statsCsvUrl, useVoucherStats, type VoucherFigures, type VoucherStats } from './distribution-queries';
import { useVoucherTemplates } from './voucher-queries';
import { VouchersTabs } from './vouchers-tabs';

const colors = { issued: '#1677ff', claimed: '#13c2c2', used: '#52c41a', expired: '#faad14', voided: '#bfbfbf' };

type TemplateRow = VoucherStats['templates'][number];
type DistributionRow = VoucherStats['distributions'][number];

/** 券统计: issued → claimed → used, the daily line, and the table with rates, revenue and a CSV export. */
export const VoucherStatsPage = () => {
  const { t } = useTranslation();
  const errorMessage = useErrorMessage();
  const today = useTenantToday();
  const [range, setRange] = useState<[string, string]>([dayjs(today).subtract(29, 'day').format('YYYY-MM-DD'), today]);
  const [templateId, setTemplateId] = useState<string | undefined>();
  const query: StatsQuery = { from: range[0], to: range[1], ...(templateId ? { templateId } : {}) };
  const stats = useVoucherStats(query);
  const templates = useVoucherTemplates(true);
  const data = stats.data;

  const percent = (rate: number | null) => (rate === null ? t('voucherStats.notApplicable') : `${(rate * 100).toFixed(1)}%`);
  const money = (fen: number | null) => (fen === null ? t('voucherStats.notApplicable') : formatYuan(fen));
  const figureColumns = <Row extends VoucherFigures>(): ColumnsType<Row> => [
    { key: 'issued', title: t('voucherStats.columns.issued'), dataIndex: 'issued', align: 'right', width: 80 },
    { key: 'claimed', title: t('voucherStats.columns.claimed'), dataIndex: 'claimed', align: 'right', width: 80 },
    { key: 'used', title: t('voucherStats.columns.used'), dataIndex: 'used', align: 'right', width: 80 },
    { key: 'expired', title: t('voucherStats.columns.expired'), dataIndex: 'expired', align: 'right', width: 80 },
    { key: 'voided', title: t('voucherStats.columns.voided'), dataIndex: 'voided', align: 'right', width: 80 },
    { key: 'available', title: t('voucherStats.columns.available'), dataIndex: 'available', align: 'right', width: 80 },
    { key: 'claimRate', title: t('voucherStats.columns.claimRate'), align: 'right', width: 90, render: (_, row) => percent(row.claimRate) },
    { key: 'useRate', title: t('voucherStats.columns.useRate'), align: 'right', width: 90, render: (_, row) => percent(row.useRate) },
    { key: 'orders', title: t('voucherStats.columns.orders'), dataIndex: 'orders', align: 'right', width: 80 },
    { key: 'revenue', title: t('voucherStats.columns.revenue'), align: 'right', width: 130, render: (_, row) => money(row.revenueFen) },
    { key: 'average', title: t('voucherStats.columns.average'), align: 'right', width: 130, render: (_, row) => money(row.averageOrderFen) },
    { key: 'discount', title: t('voucherStats.columns.discount'), align: 'right', width: 130, render: (_, row) => money(row.discountFen) },
  ];

  const funnel = data
    ? (['issued', 'claimed', 'used', 'expired', 'voided'] as const).map((key) => ({ key, name: t(`voucherStats.series.${key}`), value: data.totals[key] }))
    : [];

  return (
    <Flex vertical gap="middle">
      <VouchersTabs
        intro={t('voucherStats.intro')}
        extra={
          <Space wrap>
            <Select
              aria-label={t('voucherStats.template')}
              allowClear
              placeholder={t('voucherStats.allTemplates')}
              value={templateId}
              onChange={setTemplateId}
              style={{ width: 220 }}
              showSearch={{ optionFilterProp: 'label' }}
              options={(templates.data?.items ?? []).map((template) => ({ value: template.id, label: template.name }))}
            />
            <DatePicker.RangePicker
              aria-label={t('voucherStats.range')}
              allowClear={false}
              value={[dayjs(range[0]), dayjs(range[1])]}
              onChange={(dates) => {
                const [from, to] = (dates ?? []) as [Dayjs | null, Dayjs | null];
                if (from && to) setRange([from.format('YYYY-MM-DD'), to.format('YYYY-MM-DD')]);
              }}
            />
            <Button icon={<DownloadOutlined />} href={statsCsvUrl(query)}>
              {t('voucherStats.export')}
            </Button>
          </Space>
        }
      />
      {stats.isError && <Alert type="error" showIcon title={errorMessage(stats.error)} />}
      <Row gutter={[16, 16]}>
        {(
          [
            ['issued', data?.totals.issued],
            ['claimed', data?.totals.claimed],
            ['used', data?.totals.used],
            ['useRate', data ? percent(data.totals.useRate) : undefined],
            ['revenue', data ? formatYuan(data.totals.revenueFen) : undefined],
          ] as const
        ).map(([key, value]) => (
          <Col key={key} xs={12} md={8} xl={4}>
            <Card size="small" loading={stats.isPending}>
              <Statistic title={t(`voucherStats.cards.${key}`)} value={value ?? 0} />
            </Card>
          </Col>
        ))}
        <Col xs={24} md={16} xl={4}>
          <Card size="small" loading={stats.isPending}>
            <Statistic title={t('voucherStats.cards.reminders')} value={data?.reminders.queued ?? 0} />
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {t('voucherStats.cards.remindersDetail', { vouchers: data?.reminders.vouchers ?? 0, used: data?.reminders.usedAfter ?? 0 })}
            </Typography.Text>
          </Card>
        </Col>
      </Row>
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={10}>
          <Card title={t('voucherStats.funnel')} size="small">
            <div style={{ width: '100%', height: 260 }} data-testid="voucher-funnel">
              <ResponsiveContainer>
                <BarChart data={funnel} layout="vertical" margin={{ left: 8, right: 24 }}>
                  <CartesianGrid strokeDasharray="3 3" horizontal={false} />
                  <XAxis type="number" allowDecimals={false} />
                  <YAxis type="category" dataKey="name" width={56} />
                  <Tooltip />
                  <Bar dataKey="value" name={t('voucherStats.columns.issued')} isAnimationActive={false} label={{ position: 'right' }}>
                    {funnel.map((entry) => (
                      <Cell key={entry.key} fill={colors[entry.key]} />
                    ))}
                  </Bar>
                </BarChart>
              </ResponsiveContainer>
            </div>
          </Card>
        </Col>
        <Col xs={24} xl={14}>
          <Card title={t('voucherStats.daily')} size="small">
            <div style={{ width: '100%', height: 260 }} data-testid="voucher-daily">
              <ResponsiveContainer>
                <LineChart data={data?.daily ?? []} margin={{ left: 0, right: 16 }}>
                  <CartesianGrid strokeDasharray="3 3" />
                  <XAxis dataKey="date" tickFormatter={(date: string) => date.slice(5)} minTickGap={16} />
                  <YAxis allowDecimals={false} />
                  <Tooltip />
                  <Legend />
                  <Line type="linear" dataKey="issued" name={t('voucherStats.series.issued')} stroke={colors.issued} dot={false} isAnimationActive={false} />
                  <Line type="linear" dataKey="used" name={t('voucherStats.series.used')} stroke={colors.used} dot={false} isAnimationActive={false} />
                </LineChart>
              </ResponsiveContainer>
            </div>
          </Card>
        </Col>
      </Row>
      <Card size="small">
        <Tabs
          items={[
            {
              key: 'templates',
              label: t('voucherStats.tabs.templates'),
              children: (
                <Table<TemplateRow>
                  rowKey={(row) => row.templateId ?? 'tier-gift'}
                  loading={stats.isPending}
                  dataSource={data?.templates ?? []}
                  pagination={false}
                  scroll={{ x: 1300 }}
                  locale={{ emptyText: t('voucherStats.empty') }}
                  columns={[
                    {
                      key: 'name',
                      title: t('voucherStats.columns.name'),
                      fixed: 'left',
                      width: 180,
                      render: (_, row) => (row.templateId ? row.name : t('voucherStats.tierGift')),
                    },
                    ...figureColumns<TemplateRow>(),
                  ]}
                  summary={() =>
                    data && data.templates.length > 1 ? (
                      <Table.Summary.Row>
                        <Table.Summary.Cell index={0}>
                          <Typography.Text strong>Σ</Typography.Text>
                        </Table.Summary.Cell>
                        {(['issued', 'claimed', 'used', 'expired', 'voided', 'available'] as const).map((key, index) => (
                          <Table.Summary.Cell key={key} index={index + 1} align="right">
                            {data.totals[key]}
                          </Table.Summary.Cell>
                        ))}
                        <Table.Summary.Cell index={7} align="right">
                          {t('voucherStats.notApplicable')}
                        </Table.Summary.Cell>
                        <Table.Summary.Cell index={8} align="right">
                          {percent(data.totals.useRate)}
                        </Table.Summary.Cell>
                        <Table.Summary.Cell index={9} align="right">
                          {data.totals.orders}
                        </Table.Summary.Cell>
                        <Table.Summary.Cell index={10} align="right">
                          {money(data.totals.revenueFen)}
                        </Table.Summary.Cell>
                        <Table.Summary.Cell index={11} align="right">
                          {money(data.totals.averageOrderFen)}
                        </Table.Summary.Cell>
                        <Table.Summary.Cell index={12} align="right">
                          {money(data.totals.discountFen)}
                        </Table.Summary.Cell>
                      </Table.Summary.Row>
                    ) : null
                  }
                />
              ),
            },
            {
              key: 'distributions',
              label: t('voucherStats.tabs.distributions'),
              children: (
                <Table<DistributionRow>
                  rowKey="distributionId"
                  loading={stats.isPending}
                  dataSource={data?.distributions ?? []}
                  pagination={false}
                  scroll={{ x: 1400 }}
                  locale={{ emptyText: t('voucherStats.empty') }}
                  columns={[
                    { key: 'name', title: t('voucherStats.columns.name'), dataIndex: 'name', fixed: 'left', width: 200 },
                    {
                      key: 'kind',
                      title: t('voucherStats.columns.kind'),
                      width: 100,
                      render: (_, row) => <Tag>{t(`voucherDistribution.kinds.${row.kind}`)}</Tag>,
                    },
                    ...figureColumns<DistributionRow>(),
                  ]}
                />
              ),
            },
          ]}
        />
        <Typography.Paragraph type="secondary" style={{ marginTop: 12, marginBottom: 0, fontSize: 12 }}>
          {t('voucherStats.definitions')}
        </Typography.Paragraph>
      </Card>
    </Flex>
  );
};
