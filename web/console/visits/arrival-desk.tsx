import { EditOutlined } from '@ant-design/icons';
import { Alert, Button, Flex, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { Visit } from '../../shared/api-models';
import { useCan } from '../auth/me-context';
import { useErrorMessage } from '../common/error-message';
import { useServerText } from '../common/server-text';
import { formatTenantTime, useTenantTimezone } from '../common/tenant-time';
import { ChangeVisitTypeDialog } from './change-visit-type-dialog';
import { useVisits } from './visit-queries';
import { VisitTypeCell } from './visit-type-cell';

/** 到访台: the store's visits of the day, newest first, with their type and why. */
export const ArrivalDesk = ({ storeId, date }: { storeId: string | undefined; date: string }) => {
  const { t } = useTranslation();
  const { visitReason } = useServerText();
  const timezoneName = useTenantTimezone();
  const errorMessage = useErrorMessage();
  const canWrite = useCan('visits.write');
  const visits = useVisits({ storeId, businessDate: date }, { enabled: Boolean(storeId) });
  const [changing, setChanging] = useState<Visit | null>(null);

  const columns: ColumnsType<Visit> = [
    {
      key: 'arrivedAt',
      title: t('visits.columns.arrivedAt'),
      width: 90,
      render: (_, visit) => <Typography.Text style={{ fontVariantNumeric: 'tabular-nums' }}>{formatTenantTime(visit.arrivedAt, timezoneName)}</Typography.Text>,
    },
    {
      key: 'customer',
      title: t('visits.columns.customer'),
      width: 120,
      render: (_, visit) => (
        <Link to={`/customers/${visit.customerId}`} style={{ whiteSpace: 'nowrap' }}>
          {visit.customerName}
        </Link>
      ),
    },
    { key: 'visitType', title: t('visits.columns.visitType'), width: 150, render: (_, visit) => <VisitTypeCell visit={visit} /> },
    {
      key: 'reason',
      title: t('visits.columns.reason'),
      render: (_, visit) => (
        <Flex vertical gap={2}>
          <span>
            {visit.isOverridden
              ? t('visits.proposedWas', { type: t(`visits.types.${visit.proposedType}`), reason: visitReason(visit.proposalReason) })
              : visitReason(visit.proposalReason)}
          </span>
          {!visit.isFirstOfDay && (
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {t('visits.laterVisitOfDay')}
            </Typography.Text>
          )}
        </Flex>
      ),
    },
    {
      key: 'source',
      title: t('visits.columns.source'),
      width: 100,
      render: (_, visit) => (visit.appointmentId ? <Tag color="blue">{t('visits.fromAppointment')}</Tag> : <Tag>{t('visits.walkInTag')}</Tag>),
    },
    { key: 'consultant', title: t('visits.columns.consultant'), width: 110, render: (_, visit) => visit.consultantName ?? t('common.empty') },
    { key: 'notes', title: t('visits.columns.notes'), render: (_, visit) => visit.notes ?? t('common.empty') },
    ...(canWrite
      ? [
          {
            key: 'actions',
            title: t('visits.columns.actions'),
            width: 120,
            render: (_: unknown, visit: Visit) => (
              <Button type="link" icon={<EditOutlined />} style={{ paddingInline: 0 }} onClick={() => setChanging(visit)}>
                {t('visits.change.action')}
              </Button>
            ),
          },
        ]
      : []),
  ];

  return (
    <Flex vertical gap="small">
      {visits.isError && <Alert type="error" showIcon title={errorMessage(visits.error)} />}
      <Table<Visit>
        rowKey="id"
        size="middle"
        columns={columns}
        dataSource={visits.data?.items ?? []}
        loading={visits.isFetching}
        pagination={false}
        locale={{ emptyText: t('visits.emptyDay') }}
        aria-label={t('visits.deskTitle')}
      />
      <ChangeVisitTypeDialog visit={changing} onClose={() => setChanging(null)} />
    </Flex>
  );
};
