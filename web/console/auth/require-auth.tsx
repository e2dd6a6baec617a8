import { Button, Flex, Result, Spin } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, useLocation } from 'react-router';
import { useErrorMessage } from '../common/error-message';
import { loginPathFor } from './login-path';
import { MeProvider } from './me-context';
import { useMe } from './me-query';

export const RequireAuth = ({ children }: { children: ReactNode }) => {
  const me = useMe();
  const location = useLocation();
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
  if (!me.data) return <Navigate to={loginPathFor(location.pathname, location.search)} replace />;
  return <MeProvider value={me.data}>{children}</MeProvider>;
};
