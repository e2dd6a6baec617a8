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
  MessageOutlined,
  PhoneOutlined,
  SettingOutlined,
  ShoppingCartOutlined,
  TeamOutlined,
  UsergroupAddOutlined,
} from '@ant-design/icons';
import { type ComponentType, lazy, type ReactNode } from 'react';
import type { Permission } from '../auth/permissions';
import { loadAreaStrings } from '../i18n';
import type { ConsoleResources } from '../i18n/zh-CN';
import { type AreaKey, type AreaPath, areaPaths } from '../route-paths';

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
 * Each area's code is its own chunk, fetched the first time one of its pages opens together with
 * the areas' strings (the layout shows a spinner meanwhile): the first load is the login page, the
 * layout and the dashboard, whose strings come with the console.
 */
const page = <Name extends string>(load: () => Promise<Record<Name, ComponentType>>, name: Name, withAreaStrings = true) =>
  lazy(async () => {
    const [module] = await Promise.all([load(), withAreaStrings ? loadAreaStrings() : undefined]);
    return { default: module[name] };
  });

const DashboardPage = page(() => import('../dashboard/dashboard-page'), 'DashboardPage', false);
const CustomersPage = page(() => import('../customers/customers-page'), 'CustomersPage');
const Customer360Page = page(() => import('../customers/customer-360-page'), 'Customer360Page');
const AppointmentsPage = lazy(async () => {
  const [module] = await Promise.all([import('../appointments/appointments-page'), loadAreaStrings()]);
  return { default: module.AppointmentsPage };
});
const CheckoutPage = page(() => import('../checkout/checkout-page'), 'CheckoutPage');
const OrdersPage = page(() => import('../orders/orders-page'), 'OrdersPage');
const OrderDetailPage = page(() => import('../orders/order-detail-page'), 'OrderDetailPage');
const CoursesPage = page(() => import('../courses/courses-page'), 'CoursesPage');
const ShiftPage = page(() => import('../shift/shift-page'), 'ShiftPage');
const TiersPage = page(() => import('../membership/tiers-page'), 'TiersPage');
const CardProductsPage = page(() => import('../cards/card-products-page'), 'CardProductsPage');
const VoucherTemplatesPage = page(() => import('../vouchers/voucher-templates-page'), 'VoucherTemplatesPage');
const VoucherDeskPage = page(() => import('../vouchers/voucher-desk-page'), 'VoucherDeskPage');
const DistributionsPage = page(() => import('../vouchers/distributions-page'), 'DistributionsPage');
const VoucherStatsPage = page(() => import('../vouchers/voucher-stats-page'), 'VoucherStatsPage');
const ReferralsPage = page(() => import('../referrals/referrals-page'), 'ReferralsPage');
const FollowupsPage = page(() => import('../followups/followups-page'), 'FollowupsPage');
const MessagesPage = page(() => import('../messages/messages-page'), 'MessagesPage');
const CatalogPage = page(() => import('../catalog/catalog-page'), 'CatalogPage');
const SettingsPage = page(() => import('../settings/settings-page'), 'SettingsPage');

/** What each path of `route-paths.ts` shows: a path without a page here does not type-check. */
const pageOf: Record<AreaPath, ReactNode> = {
  '/': <DashboardPage />,
  '/customers': <CustomersPage />,
  '/customers/:id': <Customer360Page />,
  '/appointments': <AppointmentsPage view="book" />,
  '/appointments/arrivals': <AppointmentsPage view="desk" />,
  '/checkout': <CheckoutPage />,
  '/orders': <OrdersPage />,
  '/orders/:id': <OrderDetailPage />,
  '/courses': <CoursesPage />,
  '/shift': <ShiftPage />,
  '/followups': <FollowupsPage />,
  '/membership': <TiersPage />,
  '/cards': <CardProductsPage />,
  '/vouchers': <VoucherTemplatesPage />,
  '/vouchers/desk': <VoucherDeskPage />,
  '/vouchers/distributions': <DistributionsPage />,
  '/vouchers/stats': <VoucherStatsPage />,
  '/referrals': <ReferralsPage />,
  '/messages': <MessagesPage />,
  '/catalog': <CatalogPage />,
  '/settings': <SettingsPage />,
};

/** Each area's menu icon and the permission that opens it (none: everyone). */
const areaMenu: Record<AreaKey, { icon: ReactNode; permission?: Permission | readonly Permission[] }> = {
  dashboard: { icon: <DashboardOutlined /> },
  customers: { icon: <TeamOutlined />, permission: 'customers.read' },
  appointments: { icon: <CalendarOutlined />, permission: 'visits.read' },
  // 收银 needs orders.open (consultants queue orders there); taking the money needs orders.checkout.
  checkout: { icon: <ShoppingCartOutlined />, permission: 'orders.open' },
  orders: { icon: <FileTextOutlined />, permission: 'orders.read' },
  courses: { icon: <MedicineBoxOutlined />, permission: 'orders.read' },
  shift: { icon: <AccountBookOutlined />, permission: 'shifts.close' },
  followups: { icon: <PhoneOutlined />, permission: 'followups.read' },
  membership: { icon: <CrownOutlined />, permission: 'membership.read' },
  cards: { icon: <CreditCardOutlined />, permission: 'cards.read' },
  // 核销台 needs vouchers.redeem as well; the page says so to those without it.
  vouchers: { icon: <GiftOutlined />, permission: 'vouchers.read' },
  // 转介绍: the report for referrals.read; its settings tab saves with referrals.manage.
  referrals: { icon: <UsergroupAddOutlined />, permission: 'referrals.read' },
  // 消息: the log, wording and opt-outs for messages.read; its 发送设置 tab for settings.manage.
  messages: { icon: <MessageOutlined />, permission: 'messages.read' },
  catalog: { icon: <AppstoreOutlined />, permission: 'catalog.read' },
  // The owner (settings.manage) sees every tab; a store manager only 员工 (staff.reset_password). Each tab checks its own permission.
  settings: { icon: <SettingOutlined />, permission: ['settings.manage', 'staff.reset_password'] },
};

/**
 * The console's areas (SPEC §19), in menu order (that of `areaPaths`). A new area
 * (积分 …) is its paths in `route-paths.ts`, its pages and menu entry here, and its `nav.<key>` label.
 */
export const navAreas: NavArea[] = (Object.keys(areaPaths) as AreaKey[]).map((key) => {
  const [path, ...pages] = areaPaths[key];
  return {
    key,
    path,
    ...areaMenu[key],
    element: pageOf[path],
    pages: pages.map((one) => ({ path: one, element: pageOf[one] })),
  };
});

/** The area a path belongs to: the longest area path that prefixes it. */
export const areaOfPath = (areas: NavArea[], pathname: string): NavArea | undefined =>
  areas
    .filter((area) => pathname === area.path || pathname.startsWith(area.path === '/' ? '/' : `${area.path}/`))
    .sort((a, b) => b.path.length - a.path.length)[0];
