import { Alert, App, Card, Flex, Switch, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useCan } from '../auth/me-context';
import { useErrorMessage } from '../common/error-message';
import { MessageLog } from './message-log';
import { type Consents, useConsents, useSaveConsents } from './messages-queries';

/** Her marketing consent per channel, as she says it (withdrawing is one click, like giving). */
const ConsentCard = ({ customerId }: { customerId: string }) => {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const errorMessage = useErrorMessage();
  const canWrite = useCan('customers.write');
  const consents = useConsents(customerId);
  const save = useSaveConsents(customerId);
  if (consents.isError) return <Alert type="error" showIcon title={errorMessage(consents.error)} />;
  const change = async (channel: keyof Consents, isGranted: boolean) => {
    if (!consents.data) return;
    try {
      await save.mutateAsync({ ...consents.data, [channel]: isGranted });
      void message.success(t('messaging.consent.saved'));
    } catch (error) {
      void message.error(errorMessage(error));
    }
  };
  return (
    <Card size="small" title={t('messaging.consent.title')} loading={consents.isPending}>
      <Flex vertical gap="small">
        <Typography.Text type="secondary">{t('messaging.consent.intro')}</Typography.Text>
        <Flex gap="large" wrap>
          {(['portal', 'wechat', 'sms'] as const).map((channel) => (
            <Flex key={channel} gap="small" align="center">
              <Switch
                aria-label={t(`messaging.consent.${channel}`)}
                checked={consents.data?.[channel] ?? false}
                disabled={!canWrite || save.isPending}
                onChange={(checked) => void change(channel, checked)}
              />
              <span>{t(`messaging.consent.${channel}`)}</span>
            </Flex>
          ))}
        </Flex>
      </Flex>
    </Card>
  );
};

/** 消息 on the customer 360 page: her marketing consent and every message sent to her. */
export const CustomerMessagesTab = ({ customerId }: { customerId: string }) => (
  <Flex vertical gap="middle">
    <ConsentCard customerId={customerId} />
    <MessageLog customerId={customerId} />
  </Flex>
);
