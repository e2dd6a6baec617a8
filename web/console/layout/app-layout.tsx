import { KeyOutlined, LogoutOutlined, UserOutlined } from '@ant-design/icons';
import { App, Button, Dropdown, Flex, Layout, Menu, Modal, Space, Typography, theme } from 'antd';
import { Suspense, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Outlet, useLocation } from 'react-router';
import { ChangePasswordForm } from '../auth/change-password-form';
import { useCurrentMe } from '../auth/me-context';
import { hasAnyPermission } from '../auth/permissions';
import { useLogout } from '../auth/session-mutations';
import { LanguageSwitch } from './language-switch';
import { areaOfPath, navAreas } from './nav-areas';
import { PageErrorBoundary } from './page-error-boundary';
import { PageLoading } from './page-loading';

export const AppLayout = () => {
  const me = useCurrentMe();
  const { t } = useTranslation();
  const location = useLocation();
  const logout = useLogout();
  const { token } = theme.useToken();
  const { message } = App.useApp();
  const [isChangingPassword, setIsChangingPassword] = useState(false);

  const areas = navAreas.filter((area) => !area.permission || hasAnyPermission(me, area.permission));
  const selected = areaOfPath(areas, location.pathname);

  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Layout.Sider theme="light" breakpoint="lg" width={200} style={{ borderRight: `1px solid ${token.colorBorderSecondary}` }}>
        <Flex align="center" style={{ height: 64, paddingInline: 24 }}>
          <Typography.Title level={4} style={{ margin: 0, color: token.colorPrimary }}>
            {t('app.name')}
          </Typography.Title>
        </Flex>
        <Menu
          mode="inline"
          style={{ borderInlineEnd: 'none' }}
          selectedKeys={selected ? [selected.key] : []}
          items={areas.map((area) => ({
            key: area.key,
            icon: area.icon,
            label: <Link to={area.path}>{t(`nav.${area.key}`)}</Link>,
          }))}
        />
      </Layout.Sider>
      <Layout>
        <Layout.Header
          style={{
            background: token.colorBgContainer,
            borderBottom: `1px solid ${token.colorBorderSecondary}`,
            paddingInline: 24,
          }}
        >
          <Flex align="center" justify="space-between" style={{ height: '100%' }}>
            <Typography.Text strong style={{ fontSize: 16 }}>
              {me.tenant.name}
            </Typography.Text>
            <Space size="middle">
              <Dropdown
                trigger={['click']}
                menu={{ items: [{ key: 'password', icon: <KeyOutlined />, label: t('password.menu'), onClick: () => setIsChangingPassword(true) }] }}
              >
                <Button type="text" icon={<UserOutlined />}>
                  {t('header.userRole', { name: me.user.displayName, role: t(`roles.${me.user.role}`) })}
                </Button>
              </Dropdown>
              <LanguageSwitch />
              <Button icon={<LogoutOutlined />} loading={logout.isPending} onClick={() => logout.mutate()}>
                {t('header.logout')}
              </Button>
            </Space>
          </Flex>
        </Layout.Header>
        <Layout.Content style={{ padding: 24 }}>
          {/* Keyed by path: a page whose code is loading shows the spinner, not the page left behind. */}
          <PageErrorBoundary key={location.pathname}>
            <Suspense fallback={<PageLoading />}>
              <Outlet />
            </Suspense>
          </PageErrorBoundary>
        </Layout.Content>
        <Modal title={t('password.title')} open={isChangingPassword} onCancel={() => setIsChangingPassword(false)} footer={null} destroyOnHidden>
          <ChangePasswordForm
            onDone={() => {
              setIsChangingPassword(false);
              void message.success(t('password.changed'));
            }}
          />
        </Modal>
      </Layout>
    </Layout>
  );
};
