import { App, Button, DatePicker, Flex, Form, Input, Select } from 'antd';
import type { Dayjs } from 'dayjs';
import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';
import { useCan } from '../auth/me-context';
import { useErrorMessage } from '../common/error-message';
import { useTenantToday } from '../common/tenant-time';
import { useAddTask } from './followup-queries';
import { FollowupTaskList } from './followup-tasks';

type Values = { title: string; dueDate: Dayjs; channel: 'call' | 'wechat' | 'sms' };

/** 回访 on the customer 360 page: every follow-up of hers with its outcome, and adding one for yourself. */
export const CustomerFollowupsTab = ({ customerId }: { customerId: string }) => {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const errorMessage = useErrorMessage();
  const canWrite = useCan('followups.write');
  const today = useTenantToday();
  const [form] = Form.useForm<Values>();
  const add = useAddTask();
  const submit = async (values: Values) => {
    try {
      await add.mutateAsync({ customerId, title: values.title.trim(), dueDate: values.dueDate.format('YYYY-MM-DD'), channel: values.channel });
      void message.success(t('followups.added'));
      form.resetFields(['title']);
    } catch (error) {
      void message.error(errorMessage(error));
    }
  };
  return (
    <Flex vertical gap="middle">
      {canWrite && (
        <Form<Values> form={form} layout="inline" initialValues={{ dueDate: dayjs(today), channel: 'call' }} onFinish={(values) => void submit(values)}>
          <Form.Item name="title" rules={[{ required: true, whitespace: true, message: t('followups.addTitle') }]}>
            <Input placeholder={t('followups.addTitle')} aria-label={t('followups.addTitle')} maxLength={60} style={{ width: 260 }} />
          </Form.Item>
          <Form.Item name="dueDate" rules={[{ required: true }]}>
            <DatePicker aria-label={t('followups.addDue')} allowClear={false} disabledDate={(day) => day.isBefore(dayjs(today), 'day')} />
          </Form.Item>
          <Form.Item name="channel">
            <Select
              style={{ width: 100 }}
              options={(['call', 'wechat', 'sms'] as const).map((value) => ({ value, label: t(`followups.channels.${value}`) }))}
            />
          </Form.Item>
          <Button htmlType="submit" loading={add.isPending}>
            {t('followups.add')}
          </Button>
        </Form>
      )}
      <FollowupTaskList scope="all" customerId={customerId} />
    </Flex>
  );
};
