import { Alert, DatePicker, Flex, InputNumber, Progress, Table, Typography } from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatYuan } from '../../shared/money';
import { useErrorMessage } from '../common/error-message';
import { useTenantToday } from '../common/tenant-time';
import { type RelationshipReport, useRelationshipReport } from './followup-queries';

type Row = RelationshipReport['staff'][number];

/** 关系维护 (seed 001): each consultant's high-value customers and how many had a contact from her this month. */
export const RelationshipReportView = () => {
  const { t } = useTranslation();
  const errorMessage = useErrorMessage();
  const today = useTenantToday();
  const [month, setMonth] = useState(today.slice(0, 7));
  const [minSpendYuan, setMinSpendYuan] = useState(10_000);
  const report = useRelationshipReport(month, Math.round(minSpendYuan * 100));
  if (report.isError) return <Alert type="error" showIcon title={errorMessage(report.error)} />;
  return (
    <Flex vertical gap="small">
      <Typography.Paragraph type="secondary" style={{ margin: 0 }}>
        {t('followups.relationship.intro', { amount: formatYuan(Math.round(minSpendYuan * 100)) })}
      </Typography.Paragraph>
      <Flex gap="middle" align="center" wrap>
        <DatePicker
          picker="month"
          allowClear={false}
          value={dayjs(`${month}-01`)}
          onChange={(value) => value && setMonth(value.format('YYYY-MM'))}
          aria-label={t('followups.relationship.month')}
        />
        <Flex gap="small" align="center">
          <span>{t('followups.relationship.minSpend')}</span>
          <InputNumber
            min={0}
            max={1_000_000}
            precision={0}
            prefix="¥"
            value={minSpendYuan}
            onChange={(value) => setMinSpendYuan(value ?? 0)}
            style={{ width: 140 }}
          />
        </Flex>
      </Flex>
      <Table<Row>
        size="small"
        rowKey="staffId"
        loading={report.isPending}
        dataSource={report.data?.staff ?? []}
        pagination={false}
        locale={{ emptyText: t('followups.relationship.empty') }}
        columns={[
          { key: 'name', title: t('followups.relationship.consultant'), dataIndex: 'name' },
          { key: 'customers', title: t('followups.relationship.customers'), dataIndex: 'customers', align: 'right', width: 140 },
          { key: 'contacted', title: t('followups.relationship.contacted'), dataIndex: 'contacted', align: 'right', width: 140 },
          {
            key: 'compliance',
            title: t('followups.relationship.compliance'),
            width: 220,
            render: (_, row) => <Progress percent={row.compliancePercent} size="small" status={row.compliancePercent >= 100 ? 'success' : 'normal'} />,
          },
        ]}
      />
    </Flex>
  );
};
