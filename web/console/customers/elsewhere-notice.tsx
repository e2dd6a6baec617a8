import { useQuery } from '@tanstack/react-query';
import { Alert } from 'antd';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../shared/api';

/**
 * For an account limited to some stores: what the customer has at the other stores (counts only)
 * and why it is not listed, so an empty 到访 or 订单 tab is never read as "she never came".
 */
export const ElsewhereNotice = ({ customerId }: { customerId: string }) => {
  const { t, i18n } = useTranslation();
  const elsewhere = useQuery({
    queryKey: ['customers', customerId, 'elsewhere'],
    queryFn: () => unwrap(api.GET('/api/v1/customers/{id}/elsewhere', { params: { path: { id: customerId } } })),
  });
  const data = elsewhere.data;
  if (!data?.isScoped || data.stores.length === 0) return null;
  const separator = i18n.language.startsWith('zh') ? '、' : ', ';
  const parts = (counts: { visits: number; appointments: number; orders: number }) =>
    (['visits', 'appointments', 'orders'] as const)
      .filter((kind) => counts[kind] > 0)
      .map((kind) => t(`customer360.elsewhere.${kind}`, { count: counts[kind] }))
      .join(separator);
  return (
    <Alert
      type="info"
      showIcon
      title={data.stores.map((store) => t('customer360.elsewhere.atStore', { store: store.storeName, what: parts(store) })).join(separator)}
      description={t('customer360.elsewhere.why', { stores: data.visibleStores.join(separator) })}
    />
  );
};
