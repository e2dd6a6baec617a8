import { Alert, App, Button, Card, Flex, Form, Input, Modal, Skeleton, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useErrorMessage } from '../common/error-message';
import { formatTenantTime, useTenantTimezone } from '../common/tenant-time';
import { type ProviderKeys as Keys, useClearProviderKeys, useProviderKeys, useSaveProviderKeys } from './messages-queries';

type KeysForm = { accessKey: string; secret: string };

/**
 * 服务商密钥: per SMS provider, where its keys come from (the clinic's own, sealed on the server, or
 * the server's environment), the saved key id masked and when it was saved. A secret is typed in,
 * never shown again: it can only be replaced or cleared.
 */
export const ProviderKeysSection = () => {
  const { t } = useTranslation();
  const { message, modal } = App.useApp();
  const errorMessage = useErrorMessage();
  const timezoneName = useTenantTimezone();
  const keys = useProviderKeys();
  const save = useSaveProviderKeys();
  const clear = useClearProviderKeys();
  const [editing, setEditing] = useState<Keys['provider'] | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [form] = Form.useForm<KeysForm>();

  if (keys.isPending) return <Skeleton active paragraph={{ rows: 3 }} />;
  if (keys.isError) return <Alert type="error" showIcon title={errorMessage(keys.error)} />;

  const close = () => {
    setEditing(null);
    setProblem(null);
    form.resetFields();
  };
  const submit = async (values: KeysForm) => {
    if (!editing) return;
    setProblem(null);
    try {
      await save.mutateAsync({ provider: editing, accessKey: values.accessKey.trim(), secret: values.secret.trim() });
      void message.success(t('messaging.keys.saved'));
      close();
    } catch (error) {
      setProblem(errorMessage(error));
    }
  };
  const confirmClear = (provider: Keys['provider']) =>
    modal.confirm({
      title: t('messaging.keys.clearConfirm', { provider: t(`messaging.settings.providers.${provider}`) }),
      okText: t('messaging.keys.clear'),
      okButtonProps: { danger: true },
      onOk: async () => {
        try {
          await clear.mutateAsync(provider);
          void message.success(t('messaging.keys.cleared'));
        } catch (error) {
          void message.error(errorMessage(error));
        }
      },
    });

  return (
    <Flex vertical gap="small" style={{ maxWidth: 720, marginTop: 24 }} data-testid="provider-keys">
      <Typography.Title level={5} style={{ margin: 0 }}>
        {t('messaging.keys.title')}
      </Typography.Title>
      <Typography.Paragraph type="secondary" style={{ margin: 0 }}>
        {t('messaging.keys.intro')}
      </Typography.Paragraph>
      {!keys.data.canSave && <Alert type="warning" showIcon title={t('messaging.keys.noMasterKey')} />}
      {keys.data.items.map((entry) => (
        <Card key={entry.provider} size="small" data-testid={`provider-keys-${entry.provider}`}>
          <Flex justify="space-between" align="center" gap="middle" wrap>
            <Flex vertical gap={4}>
              <Flex gap="small" align="center">
                <Typography.Text strong>{t(`messaging.settings.providers.${entry.provider}`)}</Typography.Text>
                {entry.source === 'setting' && <Tag color="green">{t('messaging.keys.sources.setting')}</Tag>}
                {entry.source === 'env' && <Tag color="blue">{t('messaging.keys.sources.env')}</Tag>}
                {entry.source === null && <Tag>{t('messaging.keys.sources.none')}</Tag>}
              </Flex>
              {entry.accessKeyIdMasked && (
                <Typography.Text type="secondary">
                  {t('messaging.keys.savedKey', {
                    key: entry.accessKeyIdMasked,
                    time: entry.savedAt ? formatTenantTime(entry.savedAt, timezoneName, 'YYYY-MM-DD HH:mm') : '',
                  })}
                </Typography.Text>
              )}
              {entry.isUnreadable && <Typography.Text type="danger">{t('messaging.keys.unreadable')}</Typography.Text>}
              {entry.source !== 'setting' && entry.hasEnvKeys && <Typography.Text type="secondary">{t('messaging.keys.envInUse')}</Typography.Text>}
            </Flex>
            <Flex gap="small">
              <Button onClick={() => setEditing(entry.provider)} disabled={!keys.data.canSave}>
                {entry.accessKeyIdMasked ? t('messaging.keys.replace') : t('messaging.keys.enter')}
              </Button>
              {entry.accessKeyIdMasked && (
                <Button danger onClick={() => confirmClear(entry.provider)}>
                  {t('messaging.keys.clear')}
                </Button>
              )}
            </Flex>
          </Flex>
        </Card>
      ))}
      <Modal
        open={editing !== null}
        title={editing ? t('messaging.keys.modalTitle', { provider: t(`messaging.settings.providers.${editing}`) }) : ''}
        okText={t('messaging.keys.save')}
        onOk={() => form.submit()}
        confirmLoading={save.isPending}
        onCancel={close}
        destroyOnHidden
      >
        {problem && <Alert type="error" showIcon title={problem} style={{ marginBottom: 12 }} />}
        <Form<KeysForm> form={form} layout="vertical" onFinish={(values) => void submit(values)} autoComplete="off">
          <Form.Item
            name="accessKey"
            label={editing === 'tencent' ? 'SecretId' : editing === 'wechat' ? 'AppID' : 'AccessKey ID'}
            rules={[{ required: true, min: 4, max: 128, whitespace: true, message: t('messaging.keys.keyRule') }]}
          >
            <Input autoComplete="off" spellCheck={false} />
          </Form.Item>
          <Form.Item
            name="secret"
            label={editing === 'tencent' ? 'SecretKey' : editing === 'wechat' ? 'AppSecret' : 'AccessKey Secret'}
            extra={t('messaging.keys.secretHelp')}
            rules={[{ required: true, min: 8, max: 256, whitespace: true, message: t('messaging.keys.secretRule') }]}
          >
            <Input.Password autoComplete="new-password" spellCheck={false} visibilityToggle={false} />
          </Form.Item>
        </Form>
      </Modal>
    </Flex>
  );
};
