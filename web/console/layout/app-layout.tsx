import { LogoutOutlined, UserOutlined } from '@ant-design/icons';
import { Button, Flex, Layout, Menu, Space, Typography, theme } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link, Outlet, useLocation } from 'react-router';
import { useCurrentMe } from '../auth/me-context';
import { hasPermission } from '../auth/permissions';
import { useLogout } from '../auth/session-mutations';
import { LanguageSwitch } from './language-switch';
import { areaOfPath, navAreas } from './nav-areas';

export const AppLayout = () => {
  const me = useCurrentMe();
  const { t } = useTranslation();
  const location = useLocation();
  const logout = useLogout();
  const { token } = theme.useToken();

  const areas = navAreas.filter((area) => !area.permission || hasPermission(me, area.permission));
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
              <Space size="small">
                <UserOutlined />
                <Typography.Text>{t('header.userRole', { name: me.user.displayName, role: t(`roles.${me.user.role}`) })}</Typography.Text>
              </Space>
              <LanguageSwitch />
              <Button icon={<LogoutOutlined />} loading={logout.isPending} onClick={() => logout.mutate()}>
                {t('header.logout')}
              </Button>
            </Space>
          </Flex>
        </Layout.Header>
        <Layout.Content style={{ padding: 24 }}>
          <Outlet />
        </Layout.Content>
      </Layout>
    </Layout>
  );
};
