import { Alert, Button, Card, Divider, Flex, Form, Input, Result, Skeleton, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import type { SetupInput } from '../../shared/api-models';
import { useErrorMessage } from '../common/error-message';
import { FormProblemAlert } from '../common/form-problem-alert';
import { type FormProblem, usePlaceServerErrors } from '../common/form-server-errors';
import { TimeZoneSelect } from '../common/time-zone-select';
import { LanguageSwitch } from '../layout/language-switch';
import { useCreateClinic, useSetupStatus } from '../settings/clinic-queries';

type Values = SetupInput & { confirm: string };

const knownFields = [
  ['code'],
  ['name'],
  ['timezone'],
  ['store', 'name'],
  ['store', 'address'],
  ['owner', 'username'],
  ['owner', 'displayName'],
  ['owner', 'password'],
] as const;

/**
 * 创建诊所: the first start's page (a database with no clinic), and beside the demo "create your
 * own clinic". The server decides whether it is open; the page only asks.
 */
export const SetupPage = () => {
  const { t } = useTranslation();
  const status = useSetupStatus();
  const navigate = useNavigate();
  const create = useCreateClinic();
  const [form] = Form.useForm<Values>();
  const [problem, setProblem] = useState<FormProblem | null>(null);
  const placeServerErrors = usePlaceServerErrors();
  const errorMessage = useErrorMessage();

  if (status.isPending) return <Skeleton active style={{ padding: 48 }} />;
  if (status.isError) return <Alert type="error" showIcon title={errorMessage(status.error)} style={{ margin: 48 }} />;

  const submit = async ({ confirm: _confirm, ...input }: Values) => {
    setProblem(null);
    try {
      await create.mutateAsync(input);
      void navigate('/', { replace: true });
    } catch (error) {
      setProblem(placeServerErrors(form, error, { knownFields, failedTitle: t('settings.saveFailed') }));
    }
  };

  return (
    <Flex vertical align="center" style={{ minHeight: '100vh', background: '#f6f1f3', paddingBlock: 48 }}>
      <Flex justify="flex-end" style={{ position: 'absolute', top: 16, right: 24 }}>
        <LanguageSwitch />
      </Flex>
      <Card style={{ width: 520 }}>
        <Typography.Title level={2} style={{ marginBottom: 0, textAlign: 'center' }}>
          {t('app.name')}
        </Typography.Title>
        <Typography.Title level={3}>{t('setup.title')}</Typography.Title>
        {!status.data.isOpen ? (
          <Result status="403" title={t('setup.closed')} subTitle={t('setup.closedHint')} extra={<Link to="/login">{t('setup.toLogin')}</Link>} />
        ) : (
          <>
            <Typography.Paragraph type="secondary">{status.data.isFirstClinic ? t('setup.firstIntro') : t('setup.intro')}</Typography.Paragraph>
            <FormProblemAlert problem={problem} />
            <Form<Values>
              form={form}
              name="setup"
              layout="vertical"
              requiredMark={false}
              initialValues={{ timezone: 'Asia/Shanghai' }}
              onFinish={(values) => void submit(values)}
            >
              <Divider titlePlacement="start">{t('setup.clinicSection')}</Divider>
              <Form.Item name="name" label={t('setup.name')} rules={[{ required: true, whitespace: true, message: t('setup.name') }]}>
                <Input autoFocus />
              </Form.Item>
              <Form.Item
                name="code"
                label={t('setup.code')}
                extra={t('setup.codeHelp')}
                rules={[{ required: true, pattern: /^[a-z][a-z0-9-]{1,39}$/, message: t('setup.codeInvalid') }]}
              >
                <Input autoComplete="off" />
              </Form.Item>
              <Form.Item name="timezone" label={t('setup.timezone')} rules={[{ required: true }]}>
                <TimeZoneSelect />
              </Form.Item>
              <Divider titlePlacement="start">{t('setup.storeSection')}</Divider>
              <Form.Item
                name={['store', 'name']}
                label={t('setup.storeName')}
                rules={[{ required: true, whitespace: true, message: t('storesAdmin.nameRequired') }]}
              >
                <Input />
              </Form.Item>
              <Form.Item name={['store', 'address']} label={t('setup.storeAddress')}>
                <Input />
              </Form.Item>
              <Divider titlePlacement="start">{t('setup.ownerSection')}</Divider>
              <Form.Item
                name={['owner', 'displayName']}
                label={t('setup.displayName')}
                rules={[{ required: true, whitespace: true, message: t('staffAdmin.displayNameRequired') }]}
              >
                <Input />
              </Form.Item>
              <Form.Item
                name={['owner', 'username']}
                label={t('setup.username')}
                rules={[{ required: true, pattern: /^[a-zA-Z][a-zA-Z0-9_.-]{2,39}$/, message: t('setup.usernameInvalid') }]}
              >
                <Input autoComplete="username" />
              </Form.Item>
              <Form.Item
                name={['owner', 'password']}
                label={t('setup.password')}
                extra={t('setup.passwordHelp')}
                rules={[
                  { required: true, message: t('password.required') },
                  { min: 10, message: t('password.tooShort') },
                ]}
              >
                <Input.Password autoComplete="new-password" />
              </Form.Item>
              <Form.Item
                name="confirm"
                label={t('setup.confirmPassword')}
                dependencies={[['owner', 'password']]}
                rules={[
                  { required: true, message: t('password.required') },
                  ({ getFieldValue }) => ({
                    validator: async (_, value: string | undefined) => {
                      if (value && value !== getFieldValue(['owner', 'password'])) throw new Error(t('password.mismatch'));
                    },
                  }),
                ]}
              >
                <Input.Password autoComplete="new-password" />
              </Form.Item>
              <Button type="primary" htmlType="submit" block size="large" loading={create.isPending}>
                {t('setup.submit')}
              </Button>
            </Form>
            {!status.data.isFirstClinic && (
              <Flex justify="center" style={{ marginTop: 16 }}>
                <Link to="/login">{t('setup.toLogin')}</Link>
              </Flex>
            )}
          </>
        )}
      </Card>
    </Flex>
  );
};
