import { Alert, Badge, Checkbox, Empty, Flex, Select, Skeleton, Space, Typography, theme } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Appointment, AppointmentStatus } from '../../shared/api-models';
import { useCan } from '../auth/me-context';
import { useErrorMessage } from '../common/error-message';
import { useStaff } from '../customers/customer-queries';
import { useStaffOptions } from '../customers/options';
import { type AppointmentActions, AppointmentCard } from './appointment-card';
import { useAppointments } from './appointment-queries';
import { appointmentStatuses } from './appointment-status';
import type { StoreDay } from './use-store-day';

type StaffColumn = { key: string; title: string; appointments: Appointment[] };

const unassignedKey = 'unassigned';

/** Columns per staff member in the order of their first appointment, 未指定 last. */
const columnsOf = (appointments: readonly Appointment[], unassignedTitle: string): StaffColumn[] => {
  const columns = new Map<string, StaffColumn>();
  for (const appointment of appointments) {
    const key = appointment.staffId ?? unassignedKey;
    const column = columns.get(key) ?? { key, title: appointment.staffName ?? unassignedTitle, appointments: [] };
    column.appointments.push(appointment);
    columns.set(key, column);
  }
  return [...columns.values()].sort((a, b) => Number(a.key === unassignedKey) - Number(b.key === unassignedKey));
};

/** 预约簿: the store's day, one column per staff member (plus 未指定), each appointment with its actions. */
export const AppointmentBook = ({ storeDay, actions }: { storeDay: StoreDay; actions: AppointmentActions }) => {
  const { t } = useTranslation();
  const { token } = theme.useToken();
  const errorMessage = useErrorMessage();
  const canWrite = useCan('visits.write');
  const [staffId, setStaffId] = useState<string | undefined>();
  const [showCancelled, setShowCancelled] = useState(false);
  const staff = useStaff();
  const staffOptions = useStaffOptions(staff.data?.items ?? []);
  const list = useAppointments(
    { storeId: storeDay.storeId, businessDate: storeDay.date, ...(staffId ? { staffId } : {}) },
    { enabled: Boolean(storeDay.storeId) },
  );

  const all = list.data?.items ?? [];
  const counts = new Map<AppointmentStatus, number>(appointmentStatuses.map((status) => [status, all.filter((item) => item.status === status).length]));
  const shown = showCancelled ? all : all.filter((appointment) => appointment.status !== 'cancelled');
  const columns = columnsOf(shown, t('appointments.unassigned'));
  // Arrival registers a visit today, so only today's (or an earlier missed) appointment can be arrived from here.
  const canArrive = storeDay.date === storeDay.today;

  return (
    <Flex vertical gap="middle">
      <Flex wrap gap="middle" align="center" justify="space-between">
        <Space wrap size="middle">
          {appointmentStatuses.map((status) => (
            <Typography.Text key={status} type="secondary">
              {t(`appointments.status.${status}`)} <Typography.Text strong>{counts.get(status) ?? 0}</Typography.Text>
            </Typography.Text>
          ))}
        </Space>
        <Space wrap>
          <Select
            aria-label={t('appointments.staffFilter')}
            placeholder={t('appointments.staffFilter')}
            allowClear
            showSearch={{ optionFilterProp: 'label' }}
            style={{ width: 200 }}
            value={staffId}
            options={staffOptions}
            onChange={setStaffId}
          />
          <Checkbox checked={showCancelled} onChange={(event) => setShowCancelled(event.target.checked)}>
            {t('appointments.showCancelled')}
          </Checkbox>
        </Space>
      </Flex>
      {list.isError && <Alert type="error" showIcon title={errorMessage(list.error)} />}
      {list.isPending ? (
        <Skeleton active paragraph={{ rows: 6 }} />
      ) : columns.length === 0 ? (
        <Empty description={t('appointments.emptyDay')} />
      ) : (
        <Flex gap="middle" align="flex-start" style={{ overflowX: 'auto', paddingBottom: 8 }}>
          {columns.map((column) => (
            <section
              key={column.key}
              aria-label={column.title}
              style={{
                flex: '0 0 260px',
                background: token.colorFillQuaternary,
                borderRadius: token.borderRadiusLG,
                padding: 12,
              }}
            >
              <Flex justify="space-between" align="center" style={{ marginBottom: 8 }}>
                <Typography.Text strong type={column.key === unassignedKey ? 'secondary' : undefined}>
                  {column.title}
                </Typography.Text>
                <Badge count={column.appointments.length} color={token.colorPrimary} showZero />
              </Flex>
              <Flex vertical gap="small">
                {column.appointments.map((appointment) => (
                  <AppointmentCard key={appointment.id} appointment={appointment} canArrive={canArrive} actions={canWrite ? actions : undefined} />
                ))}
              </Flex>
            </section>
          ))}
        </Flex>
      )}
    </Flex>
  );
};
