import { PlusOutlined } from '@ant-design/icons';
import { Alert, Button, Flex, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Appointment, Customer } from '../../shared/api-models';
import { useAppointments } from '../appointments/appointment-queries';
import { appointmentStatusColors } from '../appointments/appointment-status';
import { BookAppointmentDrawer } from '../appointments/book-appointment-drawer';
import { useCan, useCurrentMe } from '../auth/me-context';
import { useErrorMessage } from '../common/error-message';
import { formatTenantTime, useTenantTimezone } from '../common/tenant-time';

/** 预约: the customer's appointments, newest first, and a button to book another. */
export const CustomerAppointmentsTab = ({ customer }: { customer: Customer }) => {
  const { t } = useTranslation();
  const me = useCurrentMe();
  const timezoneName = useTenantTimezone();
  const errorMessage = useErrorMessage();
  const canWrite = useCan('visits.write');
  const appointments = useAppointments({ customerId: customer.id });
  const [isBooking, setIsBooking] = useState(false);
  const storeNames = new Map(me.stores.map((store) => [store.id, store.name]));
  const empty = t('common.empty');

  return (
    <Flex vertical gap="small">
      {canWrite && (
        <Flex justify="flex-end">
          <Button icon={<PlusOutlined />} onClick={() => setIsBooking(true)}>
            {t('appointments.book.open')}
          </Button>
        </Flex>
      )}
      {appointments.isError && <Alert type="error" showIcon title={errorMessage(appointments.error)} />}
      <Table<Appointment>
        rowKey="id"
        size="middle"
        loading={appointments.isPending}
        dataSource={appointments.data?.items ?? []}
        pagination={{ pageSize: 20, hideOnSinglePage: true }}
        locale={{ emptyText: t('customer360.appointments.empty') }}
        columns={[
          {
            key: 'startsAt',
            title: t('appointments.fields.time'),
            width: 170,
            render: (_, appointment) => (
              <Typography.Text style={{ fontVariantNumeric: 'tabular-nums' }}>
                {formatTenantTime(appointment.startsAt, timezoneName, 'YYYY-MM-DD HH:mm')}
              </Typography.Text>
            ),
          },
          { key: 'store', title: t('appointments.store'), width: 120, render: (_, appointment) => storeNames.get(appointment.storeId) ?? empty },
          {
            key: 'staff',
            title: t('appointments.fields.staff'),
            width: 110,
            render: (_, appointment) => appointment.staffName ?? t('appointments.unassigned'),
          },
          {
            key: 'items',
            title: t('appointments.fields.items'),
            render: (_, appointment) => (appointment.items.length > 0 ? appointment.items.map((item) => item.name).join('、') : empty),
          },
          {
            key: 'status',
            title: t('appointments.fields.status'),
            width: 100,
            render: (_, appointment) => <Tag color={appointmentStatusColors[appointment.status]}>{t(`appointments.status.${appointment.status}`)}</Tag>,
          },
          { key: 'notes', title: t('appointments.fields.notes'), render: (_, appointment) => appointment.notes ?? empty },
        ]}
      />
      <BookAppointmentDrawer
        open={isBooking}
        onClose={() => setIsBooking(false)}
        stores={me.stores}
        defaults={{ customer: { id: customer.id, name: customer.name } }}
      />
    </Flex>
  );
};
