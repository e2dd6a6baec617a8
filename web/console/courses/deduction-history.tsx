import { Alert, App, Button, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Deduction } from '../../shared/api-models';
import { formatYuan } from '../../shared/money';
import { useCan } from '../auth/me-context';
import { useErrorMessage } from '../common/error-message';
import { formatTenantTime, useTenantTimezone } from '../common/tenant-time';
import { useIdempotencyKey } from '../common/use-idempotency-key';
import { ReversalDialog } from '../payments/reversal-dialog';
import { useReversalReasonLabel } from '../payments/reversal-reasons';
import { useDeductions, useReverseDeduction } from './course-queries';

/** A customer's 划扣 records, newest first, with 撤销 for a wrong one. */
export const DeductionHistory = ({ customerId }: { customerId: string }) => {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const errorMessage = useErrorMessage();
  const timezone = useTenantTimezone();
  const reasonLabel = useReversalReasonLabel();
  const canReverse = useCan('orders.reverse');
  const deductions = useDeductions({ customerId });
  const reverse = useReverseDeduction();
  const idempotencyKeyFor = useIdempotencyKey();
  const [reversing, setReversing] = useState<Deduction | null>(null);

  const columns: ColumnsType<Deduction> = [
    { key: 'time', title: t('courses.columns.time'), width: 150, render: (_, row) => formatTenantTime(row.createdAt, timezone, 'YYYY-MM-DD HH:mm') },
    { key: 'course', title: t('courses.columns.course'), render: (_, row) => row.courseName },
    { key: 'item', title: t('courses.columns.item'), render: (_, row) => row.itemName },
    {
      key: 'sessions',
      title: t('courses.columns.sessions'),
      width: 80,
      align: 'right',
      render: (_, row) => <Typography.Text type={row.sessions < 0 ? 'danger' : undefined}>{row.sessions}</Typography.Text>,
    },
    { key: 'value', title: t('courses.columns.value'), width: 110, align: 'right', render: (_, row) => formatYuan(row.valueFen) },
    { key: 'executor', title: t('courses.columns.executor'), width: 100, render: (_, row) => row.executorName ?? t('common.empty') },
    {
      key: 'note',
      title: t('courses.columns.note'),
      render: (_, row) => [row.reasonCode ? reasonLabel(row.reasonCode) : null, row.note].filter(Boolean).join(' · ') || t('common.empty'),
    },
    {
      key: 'state',
      title: t('courses.columns.state'),
      width: 100,
      render: (_, row) => {
        if (row.reversesId) return <Tag color="orange">{t('courses.reversal')}</Tag>;
        if (row.isReversed) return <Tag>{t('courses.reversed')}</Tag>;
        if (!canReverse) return null;
        return (
          <Button size="small" danger onClick={() => setReversing(row)} aria-label={`${t('courses.reverse')} ${row.itemName} ${row.businessDate}`}>
            {t('courses.reverse')}
          </Button>
        );
      },
    },
  ];

  return (
    <>
      {deductions.isError && <Alert type="error" showIcon title={errorMessage(deductions.error)} style={{ marginBottom: 12 }} />}
      <Table<Deduction>
        rowKey="id"
        size="small"
        columns={columns}
        dataSource={deductions.data?.items ?? []}
        loading={deductions.isPending}
        locale={{ emptyText: t('courses.historyEmpty') }}
        pagination={{ pageSize: 10, hideOnSinglePage: true }}
      />
      <ReversalDialog
        open={reversing !== null}
        title={t('courses.reverseTitle')}
        description={reversing ? t('courses.reverseDescription', { item: reversing.itemName, sessions: reversing.sessions, date: reversing.businessDate }) : ''}
        onCancel={() => setReversing(null)}
        onConfirm={async (input) => {
          if (!reversing) return;
          await reverse.mutateAsync({ deductionId: reversing.id, input, idempotencyKey: idempotencyKeyFor({ deductionId: reversing.id, input }) });
          void message.success(t('courses.reverseDone'));
          setReversing(null);
        }}
      />
    </>
  );
};
