import { Card, Flex, Typography } from 'antd';
import { useTranslation } from 'react-i18next';

const Keys = ({ keys }: { keys: readonly string[] }) => (
  <span style={{ whiteSpace: 'nowrap' }}>
    {keys.map((key) => (
      <Typography.Text key={key} keyboard>
        {key}
      </Typography.Text>
    ))}
  </span>
);

/** The desk's shortcuts, documented where they are used. */
export const KeyboardHelp = ({ canCheckout }: { canCheckout: boolean }) => {
  const { t } = useTranslation();
  const rows: { keys: string[]; text: string }[] = [
    { keys: ['F2'], text: t('checkout.keyboard.focusMember') },
    { keys: ['F3'], text: t('checkout.keyboard.focusItem') },
    ...(canCheckout
      ? [
          { keys: ['F4'], text: t('checkout.keyboard.focusPayment') },
          { keys: ['='], text: t('checkout.keyboard.fillRest') },
          { keys: ['Enter'], text: t('checkout.keyboard.submit') },
          { keys: ['Ctrl', 'Enter'], text: t('checkout.keyboard.submitAnywhere') },
        ]
      : []),
    { keys: ['Ctrl', 'Shift', 'Enter'], text: t('checkout.keyboard.queue') },
    ...(canCheckout ? [{ keys: ['Enter'], text: t('checkout.keyboard.next') }] : []),
  ];
  return (
    <Card size="small" title={t('checkout.keyboard.title')}>
      <Flex vertical gap={6}>
        <Typography.Text type="secondary">{t('checkout.keyboard.member')}</Typography.Text>
        <Typography.Text type="secondary">{t('checkout.keyboard.item')}</Typography.Text>
        {rows.map((row) => (
          <Flex key={`${row.keys.join('+')}-${row.text}`} gap="small" align="baseline">
            <span style={{ width: 150, flex: 'none' }}>
              <Keys keys={row.keys} />
            </span>
            <Typography.Text>{row.text}</Typography.Text>
          </Flex>
        ))}
      </Flex>
    </Card>
  );
};
