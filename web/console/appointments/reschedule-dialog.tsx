import { App, DatePicker, Flex, Form, InputNumber, Modal, Select, TimePicker } from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Appointment, AppointmentPatch } from '../../shared/api-models';
import { FormProblemAlert } from '../common/form-problem-alert';
import { type FormProblem, usePlaceServerErrors } from '../common/form-server-errors';
import { tenantDateAndTime, tenantDateTimeIso, useTenantTimezone } from '../common/tenant-time';
import { useStaff } from '../customers/customer-queries';
import { useStaffOptions } from '../customers/options';
import { useUpdateAppointment } from './appointment-queries';

type RescheduleValues = { date: Dayjs; time: Dayjs; staffId?: string; durationMinutes: number };

/** 改约: another day, time, staff member or duration (PATCH /appointments/{id}). */
export const RescheduleDialog = ({ appointment, onClose }: { appointment: Appointment | null; onClose: () => void }) =>
  appointment ? <RescheduleModal key={appointment.id} appointment={appointment} onClose={onClose} /> : null;

const RescheduleModal = ({ appointment, onClose }: { appointment: Appointment; onClose: () => void }) => {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const timezoneName = useTenantTimezone();
  const [form] = Form.useForm<RescheduleValues>();
  const [problem, setProblem] = useState<FormProblem | null>(null);
  const placeServerErrors = usePlaceServerErrors();
  const staff = useStaff();
  const staffOptions = useStaffOptions(staff.data?.items ?? []);
  const update = useUpdateAppointment();
  const { date, time } = tenantDateAndTime(appointment.startsAt, timezoneName);

  const submit = async (values: RescheduleValues) => {
    setProblem(null);
    const patch: AppointmentPatch = {
      startsAt: tenantDateTimeIso(values.date.format('YYYY-MM-DD'), values.time.format('HH:mm'), timezoneName),
      staffId: values.staffId ?? null,
      durationMinutes: values.durationMinutes,
    };
    try {
      const saved = await update.mutateAsync({ id: appointment.id, patch });
      void message.success(t('appointments.reschedule.done', { name: saved.customerName, date: saved.businessDate }));
      onClose();
    } catch (error) {
      setProblem(
        placeServerErrors(form, error, {
          knownFields: [['date'], ['time'], ['staffId'], ['durationMinutes']],
          rename: { startsAt: ['time'] },
          failedTitle: t('appointments.reschedule.failed'),
        }),
      );
    }
  };

  return (
    <Modal
      open
      title={t('appointments.reschedule.title', { name: appointment.customerName })}
      okText={t('common.save')}
      confirmLoading={update.isPending}
      onOk={() => form.submit()}
      onCancel={onClose}
    >
      <Form<RescheduleValues>
        form={form}
        name="reschedule"
        layout="vertical"
        initialValues={{ date, time, staffId: appointment.staffId ?? undefined, durationMinutes: appointment.durationMinutes }}
        onFinish={(values) => void submit(values)}
      >
        <FormProblemAlert problem={problem} />
        <Flex gap="middle" wrap>
          <Form.Item name="date" label={t('appointments.fields.date')} rules={[{ required: true }]}>
            <DatePicker allowClear={false} style={{ width: 170 }} />
          </Form.Item>
          <Form.Item name="time" label={t('appointments.fields.startTime')} rules={[{ required: true }]}>
            <TimePicker format="HH:mm" minuteStep={5} needConfirm={false} allowClear={false} style={{ width: 130 }} />
          </Form.Item>
          <Form.Item name="durationMinutes" label={t('appointments.fields.duration')} rules={[{ required: true }]}>
            <InputNumber min={5} max={720} step={15} precision={0} suffix={t('appointments.minutes')} style={{ width: 130 }} />
          </Form.Item>
        </Flex>
        <Form.Item name="staffId" label={t('appointments.fields.staff')} style={{ marginBottom: 0 }}>
          <Select allowClear showSearch={{ optionFilterProp: 'label' }} placeholder={t('appointments.unassigned')} options={staffOptions} />
        </Form.Item>
      </Form>
    </Modal>
  );
};
