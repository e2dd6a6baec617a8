import { DownOutlined } from '@ant-design/icons';
import { App, Button, Card, Dropdown, Flex, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import type { Appointment, AppointmentPatch } from '../../shared/api-models';
import { useCan } from '../auth/me-context';
import { useErrorMessage } from '../common/error-message';
import { formatTenantTime, useTenantTimezone } from '../common/tenant-time';
import { AllergyIcon } from '../customers/allergy-icon';
import { useUpdateAppointment } from './appointment-queries';
import { appointmentStatusColors } from './appointment-status';

export type AppointmentActions = {
  onArrive: (appointment: Appointment) => void;
  onReschedule: (appointment: Appointment) => void;
};

type AppointmentCardProps = {
  appointment: Appointment;
  /** Arrival is registered today only: a visit is always today's. */
  canArrive: boolean;
  /** Absent without visits.write. */
  actions?: AppointmentActions;
};

/** One appointment in the day view: time, customer (with the allergy warning), items, status and what the desk can do. */
export const AppointmentCard = ({ appointment, canArrive, actions }: AppointmentCardProps) => {
  const { t } = useTranslation();
  const timezoneName = useTenantTimezone();
  const start = formatTenantTime(appointment.startsAt, timezoneName);
  const end = formatTenantTime(new Date(Date.parse(appointment.startsAt) + appointment.durationMinutes * 60_000).toISOString(), timezoneName);
  const isOpen = appointment.status === 'booked' || appointment.status === 'no_show';

  return (
    <Card size="small" aria-label={t('appointments.cardLabel', { time: start, name: appointment.customerName })} role="group">
      <Flex vertical gap={6}>
        <Flex justify="space-between" align="center" gap="small">
          <Typography.Text strong style={{ fontVariantNumeric: 'tabular-nums' }}>
            {start}–{end}
          </Typography.Text>
          <Tag color={appointmentStatusColors[appointment.status]} style={{ marginInlineEnd: 0 }}>
            {t(`appointments.status.${appointment.status}`)}
          </Tag>
        </Flex>
        <Flex gap={6} align="center" wrap>
          <Link to={`/customers/${appointment.customerId}`}>{appointment.customerName}</Link>
          <AllergyIcon allergies={appointment.allergies} />
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {appointment.customerPhone}
          </Typography.Text>
        </Flex>
        {appointment.items.length > 0 && (
          <Flex wrap gap={4}>
            {appointment.items.map((item) => (
              <Tag key={item.id} style={{ marginInlineEnd: 0 }}>
                {item.name}
              </Tag>
            ))}
          </Flex>
        )}
        {appointment.notes && (
          <Typography.Text type="secondary" style={{ fontSize: 12, whiteSpace: 'pre-wrap' }}>
            {appointment.notes}
          </Typography.Text>
        )}
        {actions && isOpen && <CardActions appointment={appointment} canArrive={canArrive} actions={actions} />}
        {actions && appointment.status === 'cancelled' && <RestoreButton appointment={appointment} />}
        {actions && appointment.status === 'arrived' && <CheckoutButton customerId={appointment.customerId} />}
      </Flex>
    </Card>
  );
};

const CardActions = ({ appointment, canArrive, actions }: { appointment: Appointment; canArrive: boolean; actions: AppointmentActions }) => {
  const { t } = useTranslation();
  const { message, modal } = App.useApp();
  const errorMessage = useErrorMessage();
  const update = useUpdateAppointment();

  const setStatus = (status: NonNullable<AppointmentPatch['status']>, done: string) =>
    update.mutate(
      { id: appointment.id, patch: { status } },
      { onSuccess: () => void message.success(done), onError: (error) => void message.error(errorMessage(error)) },
    );

  const menuItems = [
    { key: 'reschedule', label: t('appointments.actions.reschedule') },
    appointment.status === 'booked'
      ? { key: 'no_show', label: t('appointments.actions.noShow') }
      : { key: 'restore', label: t('appointments.actions.restore') },
    { key: 'cancel', label: t('appointments.actions.cancel'), danger: true },
  ];

  const onMenu = (key: string) => {
    if (key === 'reschedule') actions.onReschedule(appointment);
    if (key === 'no_show') setStatus('no_show', t('appointments.actions.noShowDone', { name: appointment.customerName }));
    if (key === 'restore') setStatus('booked', t('appointments.actions.restoreDone'));
    if (key === 'cancel') {
      modal.confirm({
        title: t('appointments.actions.cancelConfirm', { name: appointment.customerName }),
        okText: t('appointments.actions.cancel'),
        okButtonProps: { danger: true },
        cancelText: t('appointments.actions.keep'),
        onOk: () => setStatus('cancelled', t('appointments.actions.cancelDone')),
      });
    }
  };

  return (
    <Flex gap="small">
      {canArrive && (
        <Button type="primary" size="small" onClick={() => actions.onArrive(appointment)}>
          {t('appointments.actions.arrive')}
        </Button>
      )}
      <Dropdown menu={{ items: menuItems, onClick: ({ key }) => onMenu(key) }} trigger={['click']}>
        <Button size="small" loading={update.isPending}>
          {t('appointments.actions.more')} <DownOutlined />
        </Button>
      </Dropdown>
    </Flex>
  );
};

/** An arrived customer goes to the desk with her already chosen. */
const CheckoutButton = ({ customerId }: { customerId: string }) => {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const canOpenOrders = useCan('orders.open');
  if (!canOpenOrders) return null;
  return (
    <Flex>
      <Button type="primary" size="small" onClick={() => navigate(`/checkout?customerId=${customerId}`)}>
        {t('appointments.actions.checkout')}
      </Button>
    </Flex>
  );
};

const RestoreButton = ({ appointment }: { appointment: Appointment }) => {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const errorMessage = useErrorMessage();
  const update = useUpdateAppointment();
  return (
    <Flex>
      <Button
        size="small"
        loading={update.isPending}
        onClick={() =>
          update.mutate(
            { id: appointment.id, patch: { status: 'booked' } },
            {
              onSuccess: () => void message.success(t('appointments.actions.restoreDone')),
              onError: (error) => void message.error(errorMessage(error)),
            },
          )
        }
      >
        {t('appointments.actions.restore')}
      </Button>
    </Flex>
  );
};
