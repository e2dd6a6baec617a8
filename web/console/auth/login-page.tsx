import { LockOutlined, ShopOutlined, UserOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Flex, Form, Input, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link, Navigate, useSearchParams } from 'react-router';
import type { LoginInput } from '../../shared/api-models';
import { useErrorMessage } from '../common/error-message';
import { ClinicLogo } from '../layout/clinic-logo';
import { LanguageSwitch } from '../layout/language-switch';
import { useSetupStatus } from '../settings/clinic-queries';
import { safeNextPath } from './login-path';
import { useMe } from './me-query';
import { lastTenantCode, useLogin } from './session-mutations';

export const LoginPage = () => {
  const { t } = useTranslation();
  const [searchParams] = useSearchParams();
  const nextPath = safeNextPath(searchParams.get('next'));
  const me = useMe();
  const login = useLogin(nextPath);
  const errorMessage = useErrorMessage();
  const setup = useSetupStatus();
  const [form] = Form.useForm<LoginInput>();
  const tenantCode = Form.useWatch('tenantCode', form) ?? lastTenantCode() ?? 'demo';

  if (setup.data?.isFirstClinic) return <Navigate to="/setup" replace />;
  if (me.data) return <Navigate to={nextPath} replace />;

  return (
    <Flex vertical align="center" justify="center" style={{ minHeight: '100vh', background: '#f6f1f3' }}>
      <Flex justify="flex-end" style={{ position: 'absolute', top: 16, right: 24 }}>
        <LanguageSwitch />
      </Flex>
      <Card style={{ width: 380 }}>
        <ClinicLogo code={tenantCode} />
        <Typography.Title level={2} style={{ marginBottom: 0, textAlign: 'center' }}>
          {t('app.name')}
        </Typography.Title>
        <Typography.Paragraph type="secondary" style={{ textAlign: 'center' }}>
          {t('app.tagline')}
        </Typography.Paragraph>
        <Typography.Title level={4}>{t('login.title')}</Typography.Title>
        {login.isError && <Alert type="error" showIcon title={errorMessage(login.error)} style={{ marginBottom: 16 }} />}
        <Form<LoginInput>
          form={form}
          name="login"
          layout="vertical"
          requiredMark={false}
          initialValues={{ tenantCode: lastTenantCode() ?? 'demo' }}
          onFinish={(values) => login.mutate({ ...values, tenantCode: values.tenantCode.trim() })}
        >
          <Form.Item name="tenantCode" label={t('login.tenantCode')} rules={[{ required: true, whitespace: true, message: t('login.tenantCodeRequired') }]}>
            <Input prefix={<ShopOutlined />} autoComplete="organization" />
          </Form.Item>
          <Form.Item name="username" label={t('login.username')} rules={[{ required: true, whitespace: true, message: t('login.usernameRequired') }]}>
            <Input prefix={<UserOutlined />} autoComplete="username" autoFocus />
          </Form.Item>
          <Form.Item name="password" label={t('login.password')} rules={[{ required: true, message: t('login.passwordRequired') }]}>
            <Input.Password prefix={<LockOutlined />} autoComplete="current-password" />
          </Form.Item>
          <Button type="primary" htmlType="submit" block size="large" loading={login.isPending}>
            {t('login.submit')}
          </Button>
        </Form>
        {setup.data?.isOpen && (
          <Flex justify="center" style={{ marginTop: 16 }}>
            <Link to="/setup">{t('login.createOwn')}</Link>
          </Flex>
        )}
      </Card>
    </Flex>
  );
};
