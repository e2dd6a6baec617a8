import { Card, Tabs } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import type { Customer } from '../../shared/api-models';
import { useCurrentMe } from '../auth/me-context';
import { hasPermission, type Permission } from '../auth/permissions';
import { CustomerCardsTab } from '../cards/customer-cards-tab';
import { CustomerFollowupsTab } from '../followups/customer-followups-tab';
import { CustomerMembershipTab } from '../membership/customer-membership-tab';
import { CustomerMessagesTab } from '../messages/customer-messages-tab';
import { CustomerPointsTab } from '../points/customer-points-tab';
import { CustomerVouchersTab } from '../vouchers/customer-vouchers-tab';
import { CustomerAppointmentsTab } from './customer-appointments-tab';
import { CustomerAuditTab } from './customer-audit-tab';
import { CustomerCoursesTab } from './customer-courses-tab';
import { CustomerOrdersTab } from './customer-orders-tab';
import { CustomerVisitsTab } from './customer-visits-tab';

type TabKey =
  | 'visits'
  | 'appointments'
  | 'orders'
  | 'courses'
  | 'arrears'
  | 'points'
  | 'membership'
  | 'cards'
  | 'vouchers'
  | 'followups'
  | 'messages'
  | 'audit';

/** The customer's history on the 360 page, each tab shown only to staff allowed to read it; the open tab is in the address bar. */
export const Customer360Tabs = ({ customer }: { customer: Customer }) => {
  const { t } = useTranslation();
  const me = useCurrentMe();
  const [params, setParams] = useSearchParams();

  const tabs: { key: TabKey; permission: Permission; label: ReactNode; children: ReactNode }[] = [
    { key: 'visits', permission: 'visits.read', label: t('customer360.tabs.visits'), children: <CustomerVisitsTab customerId={customer.id} /> },
    {
      key: 'appointments',
      permission: 'visits.read',
      label: t('customer360.tabs.appointments'),
      children: <CustomerAppointmentsTab customer={customer} />,
    },
    { key: 'orders', permission: 'orders.read', label: t('customer360.tabs.orders'), children: <CustomerOrdersTab customerId={customer.id} /> },
    { key: 'courses', permission: 'orders.read', label: t('customer360.tabs.courses'), children: <CustomerCoursesTab customer={customer} /> },
    {
      key: 'arrears',
      permission: 'orders.read',
      label: customer.arrearsFen > 0 ? t('customer360.tabs.arrearsWithAmount') : t('customer360.tabs.arrears'),
      children: <CustomerOrdersTab customerId={customer.id} arrears={{ totalFen: customer.arrearsFen }} />,
    },
    { key: 'points', permission: 'points.read', label: t('points.tab'), children: <CustomerPointsTab customerId={customer.id} /> },
    {
      key: 'membership',
      permission: 'membership.read',
      label: t('membership.tab'),
      children: <CustomerMembershipTab customerId={customer.id} />,
    },
    { key: 'cards', permission: 'cards.read', label: t('cards.tab'), children: <CustomerCardsTab customer={customer} /> },
    { key: 'vouchers', permission: 'vouchers.read', label: t('vouchers.wallet.tab'), children: <CustomerVouchersTab customer={customer} /> },
    { key: 'followups', permission: 'followups.read', label: t('followups.tab'), children: <CustomerFollowupsTab customerId={customer.id} /> },
    { key: 'messages', permission: 'messages.read', label: t('messaging.tab'), children: <CustomerMessagesTab customerId={customer.id} /> },
    { key: 'audit', permission: 'audit.read', label: t('customer360.tabs.audit'), children: <CustomerAuditTab customerId={customer.id} /> },
  ];
  const allowed = tabs.filter((tab) => hasPermission(me, tab.permission));
  if (allowed.length === 0) return null;
  const requested = params.get('tab');
  const active = allowed.find((tab) => tab.key === requested)?.key ?? allowed[0]?.key;

  return (
    <Card styles={{ body: { paddingTop: 4 } }}>
      <Tabs
        activeKey={active}
        onChange={(key) =>
          setParams(
            (current) => {
              const next = new URLSearchParams(current);
              next.set('tab', key);
              return next;
            },
            { replace: true },
          )
        }
        items={allowed.map(({ key, label, children }) => ({ key, label, children }))}
      />
    </Card>
  );
};
