import { Flex, Tabs, Typography } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useLocation, useNavigate } from 'react-router';
import { useCurrentMe } from '../auth/me-context';
import { hasPermission, type Permission } from '../auth/permissions';

type VoucherPageKey = 'templates' | 'distributions' | 'desk' | 'stats';

/**
 * The 代金券 area's pages, in tab order: 券模板 / 发券 / 核销 / 数据. Each page renders this
 * header; each path is a route of the area's `pages` (layout/nav-areas.tsx).
 */
export const voucherPages: readonly { key: VoucherPageKey; path: string; permission: Permission }[] = [
  { key: 'templates', path: '/vouchers', permission: 'vouchers.read' },
  { key: 'distributions', path: '/vouchers/distributions', permission: 'vouchers.read' },
  { key: 'desk', path: '/vouchers/desk', permission: 'vouchers.redeem' },
  { key: 'stats', path: '/vouchers/stats', permission: 'vouchers.read' },
];

/** The area's title, its page tabs (those the user may open) and the page's own actions on the right. */
export const VouchersTabs = ({ extra, intro }: { extra?: ReactNode; intro?: ReactNode }) => {
  const { t } = useTranslation();
  const me = useCurrentMe();
  const navigate = useNavigate();
  const { pathname } = useLocation();
  const pages = voucherPages.filter((page) => hasPermission(me, page.permission));
  const active = [...pages].sort((a, b) => b.path.length - a.path.length).find((page) => pathname === page.path || pathname.startsWith(`${page.path}/`));
  return (
    <Flex vertical gap={4}>
      <Flex justify="space-between" align="center" wrap gap="small">
        <Typography.Title level={3} style={{ margin: 0 }}>
          {t('vouchers.title')}
        </Typography.Title>
        {extra}
      </Flex>
      {intro && (
        <Typography.Paragraph type="secondary" style={{ margin: 0 }}>
          {intro}
        </Typography.Paragraph>
      )}
      <Tabs
        activeKey={active?.key}
        onChange={(key) => {
          const page = pages.find((candidate) => candidate.key === key);
          if (page) void navigate(page.path);
        }}
        items={pages.map((page) => ({ key: page.key, label: t(`vouchers.tabs.${page.key}`) }))}
        style={{ marginBottom: -8 }}
      />
    </Flex>
  );
};
