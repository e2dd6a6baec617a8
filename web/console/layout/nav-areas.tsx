import {
  AccountBookOutlined,
  AppstoreOutlined,
  CalendarOutlined,
  CreditCardOutlined,
  CrownOutlined,
  DashboardOutlined,
  FileTextOutlined,
  GiftOutlined,
  MedicineBoxOutlined,
  SettingOutlined,
  ShoppingCartOutlined,
  TeamOutlined,
  UsergroupAddOutlined,
} from '@ant-design/icons';
import type { ReactNode } from 'react';
import { AppointmentsPage } from '../appointments/appointments-page';
import type { Permission } from '../auth/permissions';
import { CardProductsPage } from '../cards/card-products-page';
import { CatalogPage } from '../catalog/catalog-page';
import { CheckoutPage } from '../checkout/checkout-page';
import { CoursesPage } from '../courses/courses-page';
import { Customer360Page } from '../customers/customer-360-page';
import { CustomersPage } from '../customers/customers-page';
import { DashboardPage } from '../dashboard/dashboard-page';
import type { ConsoleResources } from '../i18n/zh-CN';
import { TiersPage } from '../membership/tiers-page';
import { OrderDetailPage } from '../orders/order-detail-page';
import { OrdersPage } from '../orders/orders-page';
import { ReferralsPage } from '../referrals/referrals-page';
import { SettingsPage } from '../settings/settings-page';
import { ShiftPage } from '../shift/shift-page';
import { DistributionsPage } from '../vouchers/distributions-page';
import { VoucherDeskPage } from '../vouchers/voucher-desk-page';
import { VoucherStatsPage } from '../vouchers/voucher-stats-page';
import { VoucherTemplatesPage } from '../vouchers/voucher-templates-page';

export type NavKey = keyof ConsoleResources['nav'];

export type NavArea = {
  key: NavKey;
  path: string;
  icon: ReactNode;
  /** Hidden from the menu, and refused, without this permission (a list: any one of them opens it). */
  permission?: Permission | readonly Permission[];
  element: ReactNode;
  /** Pages of the area that are not menu entries, e.g. a detail page. */
  pages?: { path: string; element: ReactNode }[];
};

/**
 * The console's areas (SPEC §19), in menu order. Only areas that exist are listed; a new area
 * (预约到访, 收银, 积分, 会员, 代金券 …) is one entry here plus its `nav.<key>` label.
 */
export const navAreas: NavArea[] = [
  { key: 'dashboard', path: '/', icon: <DashboardOutlined />, element: <DashboardPage /> },
  {
    key: 'customers',
    path: '/customers',
    icon: <TeamOutlined />,
    permission: 'customers.read',
    element: <CustomersPage />,
    pages: [{ path: '/customers/:id', element: <Customer360Page /> }],
  },
  {
    key: 'appointments',
    path: '/appointments',
    icon: <CalendarOutlined />,
    permission: 'visits.read',
    element: <AppointmentsPage view="book" />,
    pages: [{ path: '/appointments/arrivals', element: <AppointmentsPage view="desk" /> }],
  },
  // 收银 needs orders.open (consultants queue orders there); taking the money needs orders.checkout.
  { key: 'checkout', path: '/checkout', icon: <ShoppingCartOutlined />, permission: 'orders.open', element: <CheckoutPage /> },
  {
    key: 'orders',
    path: '/orders',
    icon: <FileTextOutlined />,
    permission: 'orders.read',
    element: <OrdersPage />,
    pages: [{ path: '/orders/:id', element: <OrderDetailPage /> }],
  },
  { key: 'courses', path: '/courses', icon: <MedicineBoxOutlined />, permission: 'orders.read', element: <CoursesPage /> },
  { key: 'shift', path: '/shift', icon: <AccountBookOutlined />, permission: 'shifts.close', element: <ShiftPage /> },
  { key: 'membership', path: '/membership', icon: <CrownOutlined />, permission: 'membership.read', element: <TiersPage /> },
  { key: 'cards', path: '/cards', icon: <CreditCardOutlined />, permission: 'cards.read', element: <CardProductsPage /> },
  {
    key: 'vouchers',
    path: '/vouchers',
    icon: <GiftOutlined />,
    permission: 'vouchers.read',
    element: <VoucherTemplatesPage />,
    // 核销台 needs vouchers.redeem as well; the page says so to those without it.
    pages: [
      { path: '/vouchers/desk', element: <VoucherDeskPage /> },
      { path: '/vouchers/distributions', element: <DistributionsPage /> },
      { path: '/vouchers/stats', element: <VoucherStatsPage /> },
    ],
  },
  // 转介绍: the report for referrals.read; its settings tab saves with referrals.manage.
  { key: 'referrals', path: '/referrals', icon: <UsergroupAddOutlined />, permission: 'referrals.read', element: <ReferralsPage /> },
  { key: 'catalog', path: '/catalog', icon: <AppstoreOutlined />, permission: 'catalog.read', element: <CatalogPage /> },
  // The owner (settings.manage) sees every tab; a store manager only 员工 (staff.reset_password). Each tab checks its own permission.
  { key: 'settings', path: '/settings', icon: <SettingOutlined />, permission: ['settings.manage', 'staff.reset_password'], element: <SettingsPage /> },
];

/** The area a path belongs to: the longest area path that prefixes it. */
export const areaOfPath = (areas: NavArea[], pathname: string): NavArea | undefined =>
  areas
    .filter((area) => pathname === area.path || pathname.startsWith(area.path === '/' ? '/' : `${area.path}/`))
    .sort((a, b) => b.path.length - a.path.length)[0];
