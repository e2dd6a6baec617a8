import { Alert, App, Form, InputNumber, Modal, Select } from 'antd';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { useErrorMessage } from '../common/error-message';
import { type DistributionSettings, useDistributionSettings, useSaveDistributionSettings } from './distribution-queries';

/** 发券与到期提醒: how many days before expiry customers are reminded, and how long an upgrade gift lasts. */
export const DistributionSettingsModal = ({ open, onClose }: { open: boolean; onClose: () => void }) => {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const errorMessage = useErrorMessage();
  const settings = useDistributionSettings();
  const save = useSaveDistributionSettings();
  const [form] = Form.useForm<DistributionSettings>();

  useEffect(() => {
    if (open && settings.data) form.setFieldsValue(settings.data);
  }, [open, settings.data, form]);

  return (
    <Modal
      open={open}
      onCancel={onClose}
      title={t('voucherDistribution.settingsForm.title')}
      okText={t('voucherDistribution.settingsForm.save')}
      confirmLoading={save.isPending}
      onOk={() => form.submit()}
      destroyOnHidden
    >
      {save.isError && <Alert type="error" showIcon title={errorMessage(save.error)} style={{ marginBottom: 16 }} />}
      <Form<DistributionSettings>
        form={form}
        layout="vertical"
        onFinish={async (values) => {
          const days = [...new Set(values.reminderDaysBefore.map(Number).filter((day) => Number.isInteger(day) && day > 0))].sort((a, b) => b - a);
          await save.mutateAsync({ ...values, reminderDaysBefore: days });
          void message.success(t('voucherDistribution.settingsForm.saved'));
          onClose();
        }}
      >
        <Form.Item
          name="reminderDaysBefore"
          label={t('voucherDistribution.settingsForm.reminderDays')}
          extra={t('voucherDistribution.settingsForm.reminderDaysHelp')}
        >
          <Select mode="tags" maxCount={3} options={[1, 3, 7].map((value) => ({ value, label: String(value) }))} />
        </Form.Item>
        <Form.Item
          name="upgradeGiftValidDays"
          label={t('voucherDistribution.settingsForm.giftDays')}
          extra={t('voucherDistribution.settingsForm.giftDaysHelp')}
          rules={[{ required: true }]}
        >
          <InputNumber min={1} max={3650} precision={0} addonAfter={t('settings.days')} />
        </Form.Item>
      </Form>
    </Modal>
  );
};
