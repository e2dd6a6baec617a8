import { Alert, Button, Card, Empty, Flex, Skeleton, Tag, Typography, theme } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { Appointment } from '../../shared/api-models';
import { useCan } from '../auth/me-context';
import { useErrorMessage } from '../common/error-message';
import { formatTenantTime, useTenantTimezone } from '../common/tenant-time';
import { AllergyIcon } from '../customers/allergy-icon';
import { useAppointments } from './appointment-queries';

type NotArrivedPanelProps = { storeId: string | undefined; date: string; isToday: boolean; onArrive: (appointment: Appointment) => void };

/** 今日预约未到店: the day's appointments still booked (overdue ones marked) and those marked no-show. */
export const NotArrivedPanel = ({ storeId, date, isToday, onArrive }: NotArrivedPanelProps) => {
  const { t } = useTranslation();
  const timezoneName = useTenantTimezone();
  const errorMessage = useErrorMessage();
  const canWrite = useCan('visits.write');
  const list = useAppointments({ storeId, businessDate: date }, { enabled: Boolean(storeId) });
  const pending = (list.data?.items ?? []).filter((appointment) => appointment.status === 'booked' || appointment.status === 'no_show');
  const now = Date.now();
  const { token } = theme.useToken();

  return (
    <Card size="small" title={t(isToday ? 'appointments.notArrived.titleToday' : 'appointments.notArrived.title', { count: pending.length })}>
      {list.isError && <Alert type="error" showIcon title={errorMessage(list.error)} />}
      {list.isPending ? (
        <Skeleton active paragraph={{ rows: 3 }} title={false} />
      ) : pending.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('appointments.notArrived.none')} />
      ) : (
        <Flex vertical>
          {pending.map((appointment, index) => {
            const isOverdue = appointment.status === 'booked' && Date.parse(appointment.startsAt) < now;
            return (
              <Flex
                key={appointment.id}
                justify="space-between"
                align="center"
                gap="small"
                style={{ paddingBlock: 8, borderTop: index === 0 ? undefined : `1px solid ${token.colorBorderSecondary}` }}
              >
                <Flex vertical gap={2}>
                  <Flex gap={6} align="center" wrap>
                    <Typography.Text strong style={{ fontVariantNumeric: 'tabular-nums' }}>
                      {formatTenantTime(appointment.startsAt, timezoneName)}
                    </Typography.Text>
                    <Link to={`/customers/${appointment.customerId}`}>{appointment.customerName}</Link>
                    <AllergyIcon allergies={appointment.allergies} />
                    {appointment.status === 'no_show' ? (
                      <Tag color="warning">{t('appointments.status.no_show')}</Tag>
                    ) : (
                      isOverdue && <Tag color="error">{t('appointments.notArrived.overdue')}</Tag>
                    )}
                  </Flex>
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {[appointment.staffName ?? t('appointments.unassigned'), ...appointment.items.map((item) => item.name)].join(' · ')}
                  </Typography.Text>
                </Flex>
                {canWrite && isToday && (
                  <Button size="small" type="primary" onClick={() => onArrive(appointment)}>
                    {t('appointments.actions.arrive')}
                  </Button>
                )}
              </Flex>
            );
          })}
        </Flex>
      )}
    </Card>
  );
};
