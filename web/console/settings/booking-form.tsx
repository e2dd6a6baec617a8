import { Alert, App, Button, Form, Input, InputNumber, Skeleton, Switch, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { BookingSettings } from '../../shared/api-models';
import { useCan } from '../auth/me-context';
import { useErrorMessage } from '../common/error-message';
import { FormProblemAlert } from '../common/form-problem-alert';
import { type FormProblem, usePlaceServerErrors } from '../common/form-server-errors';
import { useBookingSettings, useSaveBookingSettings } from './settings-queries';

const fields = ['isOpen', 'opensAt', 'closesAt', 'slotMinutes', 'perSlot', 'daysAhead', 'leadMinutes'] as const;
const clock = /^([01]\d|2[0-3]):[0-5]\d$/;

/** 在线预约: whether members may book in the portal, the hours, slot length, bookings per slot, how far ahead and how late. */
export const BookingForm = () => {
  const errorMessage = useErrorMessage();
  const settings = useBookingSettings();
  if (settings.isPending) return <Skeleton active paragraph={{ rows: 5 }} />;
  if (settings.isError) return <Alert type="error" showIcon title={errorMessage(settings.error)} />;
  return <BookingEditor settings={settings.data} />;
};

const BookingEditor = ({ settings }: { settings: BookingSettings }) => {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const canManage = useCan('settings.manage');
  const [form] = Form.useForm<BookingSettings>();
  const [problem, setProblem] = useState<FormProblem | null>(null);
  const placeServerErrors = usePlaceServerErrors();
  const save = useSaveBookingSettings();
  const values = Form.useWatch([], form) ?? settings;

  const submit = async (next: BookingSettings) => {
    setProblem(null);
    try {
      await save.mutateAsync(next);
      void message.success(t('settings.saved'));
    } catch (error) {
      setProblem(placeServerErrors(form, error, { knownFields: fields.map((field) => [field]), failedTitle: t('settings.saveFailed') }));
    }
  };
  const time = [{ required: true, pattern: clock, message: t('settings.booking.timeInvalid') }];
  const count = (suffix: string, min: number, max: number) => <InputNumber min={min} max={max} precision={0} suffix={suffix} style={{ width: 160 }} />;

  return (
    <Form<BookingSettings>
      form={form}
      name="booking"
      layout="vertical"
      disabled={!canManage}
      initialValues={settings}
      onFinish={(next) => void submit(next)}
      style={{ maxWidth: 640 }}
    >
      <Alert type="info" showIcon title={t('settings.booking.intro')} style={{ marginBottom: 16 }} />
      <FormProblemAlert problem={problem} />
      <Form.Item name="isOpen" label={t('settings.booking.isOpen')} valuePropName="checked">
        <Switch />
      </Form.Item>
      <Form.Item name="opensAt" label={t('settings.booking.opensAt')} rules={time}>
        <Input placeholder="10:00" style={{ width: 160 }} />
      </Form.Item>
      <Form.Item name="closesAt" label={t('settings.booking.closesAt')} rules={time}>
        <Input placeholder="20:00" style={{ width: 160 }} />
      </Form.Item>
      <Form.Item name="slotMinutes" label={t('settings.booking.slotMinutes')} rules={[{ required: true }]}>
        {count(t('settings.booking.minutes'), 10, 240)}
      </Form.Item>
      <Form.Item name="perSlot" label={t('settings.booking.perSlot')} rules={[{ required: true }]}>
        {count(t('settings.booking.people'), 1, 50)}
      </Form.Item>
      <Form.Item name="daysAhead" label={t('settings.booking.daysAhead')} rules={[{ required: true }]}>
        {count(t('settings.days'), 1, 90)}
      </Form.Item>
      <Form.Item name="leadMinutes" label={t('settings.booking.leadMinutes')} rules={[{ required: true }]}>
        {count(t('settings.booking.minutes'), 0, 10_080)}
      </Form.Item>
      {values.isOpen && (
        <Typography.Paragraph type="secondary">
          {t('settings.booking.summary', {
            opensAt: values.opensAt,
            closesAt: values.closesAt,
            slot: values.slotMinutes,
            perSlot: values.perSlot,
            days: values.daysAhead,
            lead: values.leadMinutes,
          })}
        </Typography.Paragraph>
      )}
      {canManage && (
        <Button type="primary" htmlType="submit" loading={save.isPending}>
          {t('common.save')}
        </Button>
      )}
    </Form>
  );
};
