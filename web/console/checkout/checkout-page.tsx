import { Card, Flex, Tabs, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { tenantToday, useTenantTimezone } from '../common/tenant-time';
import { StoreSelect, useDefaultStoreId } from '../orders/store-select';
import { CheckoutDesk } from './checkout-desk';
import { UnpaidQueue, useUnpaidQueue } from './unpaid-queue';

type CheckoutTab = 'desk' | 'queue';

/** 收银: the desk (keyboard-first checkout) and today's 待收银 queue, for one store. */
export const CheckoutPage = () => {
  const { t } = useTranslation();
  const [searchParams, setSearchParams] = useSearchParams();
  const tab: CheckoutTab = searchParams.get('tab') === 'queue' ? 'queue' : 'desk';
  const defaultStoreId = useDefaultStoreId();
  const [storeId, setStoreId] = useState(defaultStoreId);
  const today = tenantToday(useTenantTimezone());
  const queue = useUnpaidQueue(storeId, today);
  const queueCount = queue.data?.total ?? 0;

  return (
    <Flex vertical gap="middle">
      <Flex justify="space-between" align="center" wrap gap="small">
        <Typography.Title level={3} style={{ margin: 0 }}>
          {t('checkout.title')}
        </Typography.Title>
        <Flex align="center" gap="small">
          <Typography.Text type="secondary">{t('checkout.store')}</Typography.Text>
          <StoreSelect aria-label={t('checkout.store')} value={storeId} onChange={setStoreId} />
        </Flex>
      </Flex>
      <Tabs
        activeKey={tab}
        onChange={(key) => setSearchParams(key === 'queue' ? { tab: 'queue' } : {})}
        items={[
          { key: 'desk', label: t('checkout.tabs.desk'), children: <CheckoutDesk storeId={storeId} isActive={tab === 'desk'} /> },
          {
            key: 'queue',
            label: queueCount > 0 ? t('checkout.tabs.queueCount', { count: queueCount }) : t('checkout.tabs.queue'),
            children: (
              <Card>
                <UnpaidQueue storeId={storeId} businessDate={today} />
              </Card>
            ),
          },
        ]}
      />
    </Flex>
  );
};
