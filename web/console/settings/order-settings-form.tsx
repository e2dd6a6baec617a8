import { Alert, App, Button, Form, InputNumber, Select, Skeleton } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { OrderSettings } from '../../shared/api-models';
import { useCan } from '../auth/me-context';
import { useErrorMessage } from '../common/error-message';
import { FormProblemAlert } from '../common/form-problem-alert';
import { type FormProblem, usePlaceServerErrors } from '../common/form-server-errors';
import { useOrderSettings, useSaveOrderSettings } from './settings-queries';

/** 开单设置: the order types the desk chooses from, the default one, and the re-check window behind 复查. */
export const OrderSettingsForm = () => {
  const errorMessage = useErrorMessage();
  const settings = useOrderSettings();
  if (settings.isPending) return <Skeleton active paragraph={{ rows: 4 }} />;
  if (settings.isError) return <Alert type="error" showIcon title={errorMessage(settings.error)} />;
  return <OrderSettingsEditor settings={settings.data} />;
};

const OrderSettingsEditor = ({ settings }: { settings: OrderSettings }) => {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const canManage = useCan('settings.manage');
  const [form] = Form.useForm<OrderSettings>();
  const [problem, setProblem] = useState<FormProblem | null>(null);
  const placeServerErrors = usePlaceServerErrors();
  const save = useSaveOrderSettings();
  const orderTypes: string[] = Form.useWatch('orderTypes', form) ?? settings.orderTypes;

  const submit = async (values: OrderSettings) => {
    setProblem(null);
    try {
      await save.mutateAsync({ ...values, orderTypes: values.orderTypes.map((type) => type.trim()).filter(Boolean) });
      void message.success(t('settings.saved'));
    } catch (error) {
      setProblem(
        placeServerErrors(form, error, {
          knownFields: [['orderTypes'], ['defaultOrderType'], ['recheckWindowDays']],
          failedTitle: t('settings.saveFailed'),
        }),
      );
    }
  };

  return (
    <Form<OrderSettings>
      form={form}
      name="order-settings"
      layout="vertical"
      disabled={!canManage}
      initialValues={settings}
      onFinish={(values) => void submit(values)}
      onValuesChange={(changed: Partial<OrderSettings>) => {
        // A default that was just removed from the list is no longer a choice.
        if (changed.orderTypes && !changed.orderTypes.includes(form.getFieldValue('defaultOrderType'))) form.setFieldValue('defaultOrderType', undefined);
      }}
      style={{ maxWidth: 640 }}
    >
      <FormProblemAlert problem={problem} />
      <Form.Item
        name="orderTypes"
        label={t('settings.orders.orderTypes')}
        extra={t('settings.orders.orderTypesHelp')}
        rules={[{ required: true, type: 'array', min: 1, message: t('settings.orders.orderTypesRequired') }]}
      >
        <Select mode="tags" tokenSeparators={[',', '，', '、']} open={false} suffixIcon={null} placeholder={t('settings.orders.orderTypesPlaceholder')} />
      </Form.Item>
      <Form.Item
        name="defaultOrderType"
        label={t('settings.orders.defaultOrderType')}
        rules={[{ required: true, message: t('settings.orders.defaultRequired') }]}
      >
        <Select style={{ width: 200 }} options={orderTypes.map((type) => ({ value: type, label: type }))} />
      </Form.Item>
      <Form.Item
        name="recheckWindowDays"
        label={t('settings.orders.recheckWindowDays')}
        extra={t('settings.orders.recheckHelp')}
        rules={[{ required: true, message: t('settings.activity.required') }]}
      >
        <InputNumber min={0} max={365} precision={0} suffix={t('settings.days')} style={{ width: 160 }} />
      </Form.Item>
      {canManage && (
        <Button type="primary" htmlType="submit" loading={save.isPending}>
          {t('common.save')}
        </Button>
      )}
    </Form>
  );
};
