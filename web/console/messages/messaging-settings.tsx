import { Alert, App, Button, Descriptions, Flex, Form, Input, InputNumber, Radio, Skeleton, Space, Switch, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useErrorMessage } from '../common/error-message';
import { FormProblemAlert } from '../common/form-problem-alert';
import { type FormProblem, usePlaceServerErrors } from '../common/form-server-errors';
import {
  type MessagingStatus,
  type MessagingSettings as Settings,
  useMessagingSettings,
  useMessagingStatus,
  useSaveMessagingSettings,
} from './messages-queries';
import { ProviderKeysSection } from './provider-keys';
import { WechatTemplatesFields } from './wechat-templates';

const clock = /^([01]\d|2[0-3]):[0-5]\d$/;

/** 发送设置: the clinic's SMS channel (provider, signature), marketing hours, the weekly cap, the daily SMS budget, the WeChat templates, and the callback addresses. */
export const MessagingSettingsForm = () => {
  const errorMessage = useErrorMessage();
  const settings = useMessagingSettings();
  const status = useMessagingStatus(true);
  if (settings.isPending || status.isPending) return <Skeleton active paragraph={{ rows: 8 }} />;
  if (settings.isError) return <Alert type="error" showIcon title={errorMessage(settings.error)} />;
  if (status.isError) return <Alert type="error" showIcon title={errorMessage(status.error)} />;
  return (
    <>
      <SettingsEditor settings={settings.data} status={status.data} />
      <ProviderKeysSection />
    </>
  );
};

const SettingsEditor = ({ settings, status }: { settings: Settings; status: MessagingStatus }) => {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<Settings>();
  const [problem, setProblem] = useState<FormProblem | null>(null);
  const placeServerErrors = usePlaceServerErrors();
  const save = useSaveMessagingSettings();
  const provider = Form.useWatch(['sms', 'provider'], form) ?? settings.sms.provider;
  const isAvailable = { log: status.isDevChannelAllowed, aliyun: status.providers.aliyun, tencent: status.providers.tencent };

  const submit = async (next: Settings) => {
    setProblem(null);
    try {
      await save.mutateAsync(next);
      void message.success(t('messaging.settings.saved'));
    } catch (error) {
      setProblem(
        placeServerErrors(form, error, {
          knownFields: [['sms'], ['marketingHours'], ['marketingPerCustomerPerWeek'], ['dailySmsBudget'], ['wechat']],
          failedTitle: t('messaging.settings.saveFailed'),
        }),
      );
    }
  };
  const time = [{ required: true, pattern: clock, message: 'HH:MM' }];

  return (
    <Form<Settings> form={form} name="messaging" layout="vertical" initialValues={settings} onFinish={(next) => void submit(next)} style={{ maxWidth: 720 }}>
      <FormProblemAlert problem={problem} />
      {status.hasSmsChannel ? (
        <Alert type="success" showIcon title={t('messaging.settings.ready')} style={{ marginBottom: 16 }} />
      ) : (
        <Alert type="warning" showIcon title={t('messaging.settings.noChannel')} style={{ marginBottom: 16 }} />
      )}
      <Typography.Title level={5}>{t('messaging.settings.channel')}</Typography.Title>
      <Form.Item name={['sms', 'provider']} label={t('messaging.settings.provider')}>
        <Radio.Group>
          <Space direction="vertical">
            {(['log', 'aliyun', 'tencent'] as const).map((value) => (
              <Radio key={value} value={value} disabled={!isAvailable[value] && settings.sms.provider !== value}>
                {t(`messaging.settings.providers.${value}`)}
                {!isAvailable[value] && (
                  <Typography.Text type="secondary" style={{ fontSize: 12, marginInlineStart: 8 }}>
                    {value === 'log' ? t('messaging.settings.devNotAllowed') : t('messaging.settings.keysMissing')}
                  </Typography.Text>
                )}
              </Radio>
            ))}
          </Space>
        </Radio.Group>
      </Form.Item>
      <Form.Item name={['sms', 'signName']} label={t('messaging.settings.signName')} extra={t('messaging.settings.signNameHelp')}>
        <Input maxLength={20} style={{ width: 240 }} />
      </Form.Item>
      <Form.Item hidden={provider !== 'tencent'} noStyle={provider !== 'tencent'}>
        <Flex gap="middle">
          <Form.Item name={['sms', 'sdkApp']} label={t('messaging.settings.sdkApp')}>
            <Input maxLength={40} style={{ width: 200 }} />
          </Form.Item>
          <Form.Item name={['sms', 'region']} label={t('messaging.settings.region')}>
            <Input maxLength={40} style={{ width: 160 }} />
          </Form.Item>
        </Flex>
      </Form.Item>
      <Typography.Title level={5}>{t('messaging.settings.marketingHours')}</Typography.Title>
      <Typography.Paragraph type="secondary">{t('messaging.settings.marketingHoursHelp')}</Typography.Paragraph>
      <Flex gap="middle">
        <Form.Item name={['marketingHours', 'from']} label={t('messaging.settings.from')} rules={time}>
          <Input style={{ width: 100 }} />
        </Form.Item>
        <Form.Item name={['marketingHours', 'to']} label={t('messaging.settings.to')} rules={time}>
          <Input style={{ width: 100 }} />
        </Form.Item>
      </Flex>
      <Form.Item name="marketingPerCustomerPerWeek" label={t('messaging.settings.perWeek')}>
        <InputNumber min={0} max={50} precision={0} style={{ width: 120 }} />
      </Form.Item>
      <Form.Item name="dailySmsBudget" label={t('messaging.settings.dailyBudget')} extra={t('messaging.settings.dailyBudgetHelp')}>
        <InputNumber min={0} max={1_000_000} precision={0} style={{ width: 160 }} />
      </Form.Item>
      <Form.Item
        name="isMarketingSmsOn"
        label={t('messaging.settings.isMarketingSmsOn')}
        extra={t('messaging.settings.isMarketingSmsOnHelp')}
        valuePropName="checked"
      >
        <Switch />
      </Form.Item>
      <WechatTemplatesFields hasAccount={status.providers.wechat} />
      <Button type="primary" htmlType="submit" loading={save.isPending}>
        {t('messaging.settings.save')}
      </Button>
      <Typography.Title level={5} style={{ marginTop: 24 }}>
        {t('messaging.settings.callbacks')}
      </Typography.Title>
      {status.callbacks.length === 0 ? (
        <Typography.Text type="secondary">{t('messaging.settings.callbacksOff')}</Typography.Text>
      ) : (
        <>
          <Typography.Paragraph type="secondary">{t('messaging.settings.callbacksHelp')}</Typography.Paragraph>
          <Descriptions
            size="small"
            column={1}
            bordered
            items={status.callbacks.map((callback) => ({
              key: `${callback.provider}-${callback.kind}`,
              label: `${t(`messaging.settings.providers.${callback.provider}` as 'messaging.settings.providers.aliyun')} · ${t(`messaging.settings.callbackKinds.${callback.kind}` as 'messaging.settings.callbackKinds.receipts')}`,
              children: <Typography.Text copyable style={{ wordBreak: 'break-all' }}>{`${window.location.origin}${callback.path}`}</Typography.Text>,
            }))}
          />
        </>
      )}
    </Form>
  );
};
