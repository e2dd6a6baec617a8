import {
  CalendarOutlined,
  ClockCircleOutlined,
  DownOutlined,
  GiftOutlined,
  HourglassOutlined,
  PhoneOutlined,
  ShoppingCartOutlined,
  TagOutlined,
  WalletOutlined,
} from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Alert, Button, Card, Col, Dropdown, Flex, Row, Statistic, Typography } from 'antd';
import { type ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api, unwrap } from '../../shared/api';
import { formatYuan } from '../../shared/money';
import { useCan, useCurrentMe } from '../auth/me-context';
import { useErrorMessage } from '../common/error-message';
import { usePaymentMethodLabel } from '../payments/payment-methods';

/**
 * The store the figures are for, as a menu: the dashboard is the first screen, which already
 * loads Dropdown, while antd's Select (the other pages' StoreSelect) is large.
 */
const StorePicker = ({ value, onChange }: { value: string | undefined; onChange: (storeId: string) => void }) => {
  const { t } = useTranslation();
  const me = useCurrentMe();
  return (
    <Dropdown
      trigger={['click']}
      menu={{
        selectable: true,
        selectedKeys: value ? [value] : [],
        items: me.stores.map((store) => ({ key: store.id, label: store.name })),
        onClick: ({ key }) => onChange(key),
      }}
    >
      <Button aria-label={t('today.store')}>
        {me.stores.find((store) => store.id === value)?.name} <DownOutlined style={{ fontSize: 10 }} />
      </Button>
    </Dropdown>
  );
};

const useToday = (storeId: string | undefined) =>
  useQuery({
    queryKey: ['today', storeId],
    queryFn: () => unwrap(api.GET('/api/v1/today', { params: { query: { storeId: storeId ?? '' } } })),
    enabled: Boolean(storeId),
    refetchInterval: 60_000,
  });

/** One figure of the day: the whole card opens the list it counts. */
const Figure = ({
  to,
  title,
  value,
  icon,
  extra,
  testId,
}: {
  to: string;
  title: string;
  value: ReactNode;
  icon: ReactNode;
  extra?: ReactNode;
  testId: string;
}) => (
  <Col xs={12} md={8} xl={6}>
    <Link to={to} data-testid={testId}>
      <Card hoverable size="small" style={{ height: '100%' }}>
        <Statistic title={title} value={value as number | string} prefix={icon} />
        {extra && (
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {extra}
          </Typography.Text>
        )}
      </Card>
    </Link>
  </Col>
);

/**
 * 今日 — the desk's home page: today's appointments and arrivals, the unpaid queue, takings by
 * method, and the customers to reach this week; each number opens its list. Sections the role
 * may not see are left out by the server.
 */
export const TodayPanel = () => {
  const { t } = useTranslation();
  const errorMessage = useErrorMessage();
  const methodLabel = usePaymentMethodLabel();
  const me = useCurrentMe();
  // The first of the user's stores, as orders/store-select's useDefaultStoreId (that module brings Select along).
  const [storeId, setStoreId] = useState(me.stores[0]?.id);
  const today = useToday(storeId);
  const data = today.data;
  const canCloseShift = useCan('shifts.close');
  const mine = data?.customers?.isMine ? `&consultantId=${me.user.id}` : '';
  return (
    <Card
      title={
        <Flex align="center" gap={12} wrap>
          <span>{t('today.title', { date: data?.businessDate ?? '' })}</span>
        </Flex>
      }
      extra={<StorePicker value={storeId} onChange={setStoreId} />}
      loading={today.isPending && Boolean(storeId)}
      data-testid="today-panel"
    >
      {today.isError && <Alert type="error" showIcon message={errorMessage(today.error)} />}
      {data && (
        <Flex vertical gap={16}>
          {(data.door || data.desk) && (
            <Row gutter={[12, 12]}>
              {data.door && (
                <Figure
                  testId="today-to-come"
                  to="/appointments/arrivals"
                  title={t('today.toCome')}
                  value={data.door.toCome}
                  icon={<CalendarOutlined />}
                  extra={t('today.arrivedOf', { arrived: data.door.arrived, visits: data.door.visits })}
                />
              )}
              {data.desk && (
                <>
                  <Figure
                    testId="today-unpaid"
                    to="/checkout?tab=queue"
                    title={t('today.unpaid')}
                    value={data.desk.openOrders}
                    icon={<ShoppingCartOutlined />}
                    extra={data.desk.openOrders > 0 ? t('today.unpaidAmount', { amount: formatYuan(data.desk.openOrdersFen) }) : undefined}
                  />
                  <Figure
                    testId="today-takings"
                    to={canCloseShift ? '/shift' : '/orders'}
                    title={t('today.takings')}
                    value={formatYuan(data.desk.moneyFen)}
                    icon={<WalletOutlined />}
                    extra={
                      data.desk.byMethod.length === 0
                        ? t('today.noTakings')
                        : [
                            ...data.desk.byMethod
                              .filter((row) => row.method !== 'points' && row.method !== 'stored_value')
                              .map((row) => `${methodLabel(row.method)} ${formatYuan(row.netFen)}`),
                            ...(data.desk.nonCashFen !== 0 ? [t('today.nonCash', { amount: formatYuan(data.desk.nonCashFen) })] : []),
                          ].join(' · ')
                    }
                  />
                </>
              )}
            </Row>
          )}
          {data.customers && (
            <>
              <Typography.Text type="secondary">{data.customers.isMine ? t('today.reachMine') : t('today.reach')}</Typography.Text>
              <Row gutter={[12, 12]}>
                <Figure
                  testId="today-birthdays"
                  to={`/customers?upcoming=birthday${mine}`}
                  title={t('today.birthdays', { days: data.customers.birthdayDays })}
                  value={data.customers.birthdays}
                  icon={<GiftOutlined />}
                />
                <Figure
                  testId="today-points-expiring"
                  to={`/customers?upcoming=points_expiring${mine}`}
                  title={t('today.pointsExpiring', { days: data.customers.expiryDays })}
                  value={data.customers.pointsExpiring}
                  icon={<HourglassOutlined />}
                />
                <Figure
                  testId="today-vouchers-expiring"
                  to={`/customers?upcoming=vouchers_expiring${mine}`}
                  title={t('today.vouchersExpiring', { days: data.customers.expiryDays })}
                  value={data.customers.vouchersExpiring}
                  icon={<TagOutlined />}
                />
                <Figure
                  testId="today-sleeping"
                  to={`/customers?activity=sleeping${mine}`}
                  title={t('today.sleeping')}
                  value={data.customers.sleeping}
                  icon={<PhoneOutlined />}
                  extra={t('today.sleepingHint')}
                />
              </Row>
            </>
          )}
          {!data.door && !data.desk && !data.customers && (
            <Typography.Text type="secondary">
              <ClockCircleOutlined /> {t('today.nothing')}
            </Typography.Text>
          )}
        </Flex>
      )}
    </Card>
  );
};
