import { Alert, App, Form, Input, Modal, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useErrorMessage } from '../common/error-message';
import { useVoidOrder } from './order-queries';

type VoidOrderDialogProps = {
  order: { id: string; number: string };
  onClose: () => void;
};

/** 作废 an order still waiting for checkout, with the reason. */
export const VoidOrderDialog = ({ order, onClose }: VoidOrderDialogProps) => {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const errorMessage = useErrorMessage();
  const voidOrder = useVoidOrder();
  const [form] = Form.useForm<{ reason: string }>();
  const [problem, setProblem] = useState<string | null>(null);

  const submit = async ({ reason }: { reason: string }) => {
    setProblem(null);
    try {
      await voidOrder.mutateAsync({ id: order.id, input: { reason: reason.trim() } });
      void message.success(t('orders.voidDialog.done'));
      onClose();
    } catch (error) {
      setProblem(errorMessage(error));
    }
  };

  return (
    <Modal
      open
      title={t('orders.voidDialog.title', { number: order.number })}
      okText={t('orders.voidDialog.submit')}
      okButtonProps={{ danger: true, loading: voidOrder.isPending }}
      onOk={() => form.submit()}
      onCancel={onClose}
      destroyOnHidden
    >
      <Typography.Paragraph type="secondary">{t('orders.voidDialog.hint')}</Typography.Paragraph>
      {problem && <Alert type="error" showIcon role="alert" title={problem} style={{ marginBottom: 12 }} />}
      <Form form={form} layout="vertical" onFinish={(values) => void submit(values)}>
        <Form.Item
          name="reason"
          label={t('orders.voidDialog.reason')}
          rules={[
            { required: true, whitespace: true, message: t('orders.voidDialog.reasonRequired') },
            { max: 200, message: t('orders.voidDialog.reasonRequired') },
          ]}
        >
          <Input.TextArea autoFocus autoSize={{ minRows: 2, maxRows: 4 }} maxLength={200} placeholder={t('orders.voidDialog.reasonPlaceholder')} />
        </Form.Item>
      </Form>
    </Modal>
  );
};
