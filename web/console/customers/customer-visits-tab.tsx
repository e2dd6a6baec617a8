import { Alert, Table, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Visit } from '../../shared/api-models';
import { useErrorMessage } from '../common/error-message';
import { useServerText } from '../common/server-text';
import { formatTenantTime, useTenantTimezone } from '../common/tenant-time';
import { useVisits } from '../visits/visit-queries';
import { VisitTypeCell } from '../visits/visit-type-cell';

/** 到访: every visit of the customer, newest first, with its type and why. */
export const CustomerVisitsTab = ({ customerId }: { customerId: string }) => {
  const { t } = useTranslation();
  const { visitReason } = useServerText();
  const timezoneName = useTenantTimezone();
  const errorMessage = useErrorMessage();
  const visits = useVisits({ customerId });
  const empty = t('common.empty');
  if (visits.isError) return <Alert type="error" showIcon title={errorMessage(visits.error)} />;
  return (
    <Table<Visit>
      rowKey="id"
      size="middle"
      loading={visits.isPending}
      dataSource={visits.data?.items ?? []}
      pagination={{ pageSize: 20, hideOnSinglePage: true }}
      locale={{ emptyText: t('customer360.visits.empty') }}
      columns={[
        {
          key: 'arrivedAt',
          title: t('customer360.visits.arrivedAt'),
          width: 170,
          render: (_, visit) => (
            <Typography.Text style={{ fontVariantNumeric: 'tabular-nums' }}>
              {formatTenantTime(visit.arrivedAt, timezoneName, 'YYYY-MM-DD HH:mm')}
            </Typography.Text>
          ),
        },
        { key: 'store', title: t('customer360.visits.store'), width: 120, dataIndex: 'storeName' },
        { key: 'visitType', title: t('visits.columns.visitType'), width: 150, render: (_, visit) => <VisitTypeCell visit={visit} /> },
        {
          key: 'reason',
          title: t('visits.columns.reason'),
          render: (_, visit) =>
            visit.isOverridden
              ? t('visits.proposedWas', { type: t(`visits.types.${visit.proposedType}`), reason: visitReason(visit.proposalReason) })
              : visitReason(visit.proposalReason),
        },
        {
          key: 'source',
          title: t('visits.columns.source'),
          width: 100,
          render: (_, visit) => (visit.appointmentId ? t('visits.fromAppointment') : t('visits.walkInTag')),
        },
        { key: 'consultant', title: t('visits.columns.consultant'), width: 110, render: (_, visit) => visit.consultantName ?? empty },
        { key: 'notes', title: t('visits.columns.notes'), render: (_, visit) => visit.notes ?? empty },
      ]}
    />
  );
};
