import { Alert, Form, Input, Modal, Select, Typography } from 'antd';
import { type ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ReversalInput, ReversalReasonCode } from '../../shared/api-models';
import { useErrorMessage } from '../common/error-message';
import { useReversalReasonOptions } from './reversal-reasons';

type ReversalValues = { reasonCode?: ReversalReasonCode; note?: string };

type ReversalDialogProps = {
  open: boolean;
  title: string;
  description: ReactNode;
  onCancel: () => void;
  /** Sends the reversal; the dialog shows the server's message when it fails and stays open. */
  onConfirm: (input: ReversalInput) => Promise<unknown>;
};

/** 撤销 with a reason code (reported by reason) and an optional note: for payments and deductions alike. */
export const ReversalDialog = ({ open, title, description, onCancel, onConfirm }: ReversalDialogProps) => {
  const { t } = useTranslation();
  const errorMessage = useErrorMessage();
  const [form] = Form.useForm<ReversalValues>();
  const reasons = useReversalReasonOptions();
  const [problem, setProblem] = useState<string | null>(null);
  const [isSending, setIsSending] = useState(false);

  const submit = async (values: ReversalValues) => {
    if (!values.reasonCode) return;
    setProblem(null);
    setIsSending(true);
    try {
      const note = values.note?.trim();
      await onConfirm({ reasonCode: values.reasonCode, ...(note ? { note } : {}) });
      form.resetFields();
    } catch (error) {
      setProblem(errorMessage(error));
    } finally {
      setIsSending(false);
    }
  };

  return (
    <Modal
      open={open}
      title={title}
      okText={t('payments.confirm')}
      okButtonProps={{ danger: true, loading: isSending }}
      onOk={() => form.submit()}
      onCancel={() => {
        setProblem(null);
        onCancel();
      }}
      destroyOnHidden
    >
      <Typography.Paragraph>{description}</Typography.Paragraph>
      {problem && <Alert type="error" showIcon title={problem} style={{ marginBottom: 16 }} />}
      <Form<ReversalValues> form={form} name="reversal" layout="vertical" onFinish={(values) => void submit(values)}>
        <Form.Item name="reasonCode" label={t('payments.reason')} rules={[{ required: true, message: t('payments.reasonRequired') }]}>
          <Select options={reasons.options} loading={reasons.isPending} placeholder={t('payments.reasonRequired')} />
        </Form.Item>
        <Form.Item name="note" label={t('payments.note')}>
          <Input.TextArea autoSize={{ minRows: 2, maxRows: 4 }} maxLength={500} placeholder={t('payments.notePlaceholder')} />
        </Form.Item>
      </Form>
    </Modal>
  );
};
