import { Button, Card, Flex, Spin, Typography } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, useLocation } from 'react-router';
import { useErrorMessage } from '../common/error-message';
import { Result } from '../common/result';
import { useSetupStatus } from '../settings/clinic-queries';
import { ChangePasswordForm } from './change-password-form';
import { loginPathFor } from './login-path';
import { MeProvider } from './me-context';
import { useMe } from './me-query';
import { useLogout } from './session-mutations';

/** No session: the setup page on a database without a clinic (the first start), else the login page. */
const SignedOut = () => {
  const location = useLocation();
  const setup = useSetupStatus();
  if (setup.isPending) {
    return (
      <Flex align="center" justify="center" style={{ height: '100vh' }}>
        <Spin size="large" />
      </Flex>
    );
  }
  if (setup.data?.isFirstClinic) return <Navigate to="/setup" replace />;
  return <Navigate to={loginPathFor(location.pathname, location.search)} replace />;
};

const ForcedPasswordChange = () => {
  const { t } = useTranslation();
  const logout = useLogout();
  return (
    <Flex vertical align="center" justify="center" style={{ minHeight: '100vh', background: '#f6f1f3' }}>
      <Card
        style={{ width: 420 }}
        title={t('password.forcedTitle')}
        extra={
          <Button type="link" onClick={() => logout.mutate()}>
            {t('header.logout')}
          </Button>
        }
      >
        <Typography.Paragraph type="secondary">{t('password.forcedIntro')}</Typography.Paragraph>
        <ChangePasswordForm onDone={() => undefined} />
      </Card>
    </Flex>
  );
};

export const RequireAuth = ({ children }: { children: ReactNode }) => {
  const me = useMe();
  const { t } = useTranslation();
  const errorMessage = useErrorMessage();

  if (me.isPending) {
    return (
      <Flex align="center" justify="center" style={{ height: '100vh' }}>
        <Spin size="large" />
      </Flex>
    );
  }
  if (me.isError) {
    return (
      <Result
        status="error"
        title={t('errors.loadFailed')}
        subTitle={errorMessage(me.error)}
        extra={<Button onClick={() => void me.refetch()}>{t('errors.retry')}</Button>}
      />
    );
  }
  if (!me.data) return <SignedOut />;
  // A temporary password (a reset, or a new account) opens only the change-password screen.
  if (me.data.user.mustChangePassword) return <ForcedPasswordChange />;
  return <MeProvider value={me.data}>{children}</MeProvider>;
};
