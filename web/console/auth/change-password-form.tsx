import { Button, Form, Input } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { FormProblemAlert } from '../common/form-problem-alert';
import { type FormProblem, usePlaceServerErrors } from '../common/form-server-errors';
import { useChangePassword } from '../settings/clinic-queries';

type Values = { currentPassword: string; newPassword: string; confirm: string };

/** 修改密码: the current password, the new one twice; used by the user menu and the forced screen after a reset. */
export const ChangePasswordForm = ({ onDone }: { onDone: () => void }) => {
  const { t } = useTranslation();
  const [form] = Form.useForm<Values>();
  const [problem, setProblem] = useState<FormProblem | null>(null);
  const placeServerErrors = usePlaceServerErrors();
  const change = useChangePassword();

  const submit = async ({ currentPassword, newPassword }: Values) => {
    setProblem(null);
    try {
      await change.mutateAsync({ currentPassword, newPassword });
      form.resetFields();
      onDone();
    } catch (error) {
      setProblem(placeServerErrors(form, error, { knownFields: [['currentPassword'], ['newPassword']], failedTitle: t('password.saveFailed') }));
    }
  };

  return (
    <Form<Values> form={form} name="change-password" layout="vertical" requiredMark={false} onFinish={(values) => void submit(values)}>
      <FormProblemAlert problem={problem} />
      <Form.Item name="currentPassword" label={t('password.current')} rules={[{ required: true, message: t('password.required') }]}>
        <Input.Password autoComplete="current-password" />
      </Form.Item>
      <Form.Item
        name="newPassword"
        label={t('password.new')}
        extra={t('password.newHelp')}
        rules={[
          { required: true, message: t('password.required') },
          { min: 10, message: t('password.tooShort') },
        ]}
      >
        <Input.Password autoComplete="new-password" />
      </Form.Item>
      <Form.Item
        name="confirm"
        label={t('password.confirm')}
        dependencies={['newPassword']}
        rules={[
          { required: true, message: t('password.required') },
          ({ getFieldValue }) => ({
            validator: async (_, value: string | undefined) => {
              if (value && value !== getFieldValue('newPassword')) throw new Error(t('password.mismatch'));
            },
          }),
        ]}
      >
        <Input.Password autoComplete="new-password" />
      </Form.Item>
      <Button type="primary" htmlType="submit" block loading={change.isPending}>
        {t('password.submit')}
      </Button>
    </Form>
  );
};
