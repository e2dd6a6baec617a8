import { Alert, App, DatePicker, Descriptions, Form, Input, Modal, Radio } from 'antd';
import type { Dayjs } from 'dayjs';
import dayjs from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { BookAppointmentDrawer } from '../appointments/book-appointment-drawer';
import { useCurrentMe } from '../auth/me-context';
import { useErrorMessage } from '../common/error-message';
import { useTenantToday } from '../common/tenant-time';
import { type FollowupTask, type Outcome, outcomes, useRecordOutcome } from './followup-queries';

type Values = { outcome: Outcome; note?: string; retryOn?: Dayjs };

/**
 * 记录结果: what came of the contact — reached, no answer (with the day to try again), booked (then
 * the booking form opens with her filled in), declined, wrong number — with a note.
 */
export const OutcomeModal = ({ task, onClose }: { task: FollowupTask; onClose: () => void }) => {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const errorMessage = useErrorMessage();
  const me = useCurrentMe();
  const today = useTenantToday();
  const [form] = Form.useForm<Values>();
  const outcome = Form.useWatch('outcome', form);
  const record = useRecordOutcome();
  const [problem, setProblem] = useState<string | null>(null);
  const [isBooking, setIsBooking] = useState(false);

  const submit = async (values: Values) => {
    setProblem(null);
    try {
      await record.mutateAsync({
        id: task.id,
        outcome: values.outcome,
        note: values.note?.trim() || null,
        retryOn: values.outcome === 'no_answer' && values.retryOn ? values.retryOn.format('YYYY-MM-DD') : null,
      });
      if (values.outcome === 'booked') {
        void message.success(t('followups.bookNow'));
        setIsBooking(true);
      } else {
        void message.success(t('followups.recorded'));
        onClose();
      }
    } catch (error) {
      setProblem(errorMessage(error));
    }
  };

  if (isBooking) {
    return <BookAppointmentDrawer open onClose={onClose} stores={me.stores} defaults={{ customer: { id: task.customerId, name: task.customerName } }} />;
  }
  return (
    <Modal
      open
      title={t('followups.record')}
      onCancel={onClose}
      onOk={() => form.submit()}
      confirmLoading={record.isPending}
      okButtonProps={{ disabled: !outcome }}
    >
      {problem && <Alert type="error" showIcon title={problem} style={{ marginBottom: 12 }} />}
      <Descriptions
        size="small"
        column={1}
        items={[
          { key: 'customer', label: t('followups.columns.customer'), children: `${task.customerName}（${task.customerPhone}）` },
          { key: 'task', label: t('followups.columns.task'), children: task.title },
          ...(task.script ? [{ key: 'script', label: t('followups.script'), children: task.script }] : []),
        ]}
        style={{ marginBottom: 12 }}
      />
      <Form form={form} layout="vertical" onFinish={(values) => void submit(values)} initialValues={{ retryOn: dayjs(today).add(1, 'day') }}>
        <Form.Item name="outcome" label={t('followups.outcome')} rules={[{ required: true, message: t('followups.outcome') }]}>
          <Radio.Group optionType="button" options={outcomes.map((value) => ({ value, label: t(`followups.outcomes.${value}`) }))} />
        </Form.Item>
        {outcome === 'no_answer' && (
          <Form.Item name="retryOn" label={t('followups.retryOn')} extra={t('followups.retryHint')}>
            <DatePicker allowClear disabledDate={(day) => day.isBefore(dayjs(today), 'day')} />
          </Form.Item>
        )}
        <Form.Item name="note" label={t('followups.note')}>
          <Input.TextArea autoSize={{ minRows: 2, maxRows: 5 }} maxLength={500} />
        </Form.Item>
      </Form>
    </Modal>
  );
};
