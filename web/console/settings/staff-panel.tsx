import { PlusOutlined } from '@ant-design/icons';
import { Alert, App, Button, Flex, Form, Input, Modal, Popconfirm, Select, Space, Table, Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Role, StaffAccount, StaffCreateInput } from '../../shared/api-models';
import { useCan, useCurrentMe } from '../auth/me-context';
import { useErrorMessage } from '../common/error-message';
import { FormProblemAlert } from '../common/form-problem-alert';
import { type FormProblem, usePlaceServerErrors } from '../common/form-server-errors';
import { useCreateStaff, useResetPassword, useStaffAccounts, useStaffAction, useStores, useUpdateStaff } from './clinic-queries';

const roleOrder: Role[] = ['owner', 'store_manager', 'front_desk', 'consultant', 'doctor_nurse', 'marketing'];

/**
 * 设置 → 员工: the owner creates, edits, disables and unlocks accounts; the owner and store
 * managers give temporary passwords (the server decides whom a manager may reach).
 */
export const StaffPanel = () => {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const errorMessage = useErrorMessage();
  const me = useCurrentMe();
  const canManage = useCan('staff.manage');
  const accounts = useStaffAccounts();
  const stores = useStores();
  const action = useStaffAction();
  const [editing, setEditing] = useState<StaffAccount | 'new' | null>(null);
  const [resetting, setResetting] = useState<StaffAccount | null>(null);
  const storeName = new Map((stores.data?.items ?? []).map((store) => [store.id, store.name]));

  const run = async (id: string, kind: 'disable' | 'enable' | 'unlock') => {
    try {
      await action.mutateAsync({ id, action: kind });
      if (kind === 'unlock') void message.success(t('staffAdmin.unlocked'));
    } catch (error) {
      void message.error(errorMessage(error));
    }
  };

  if (accounts.isError) return <Alert type="error" showIcon title={errorMessage(accounts.error)} />;
  return (
    <Flex vertical gap="middle">
      {canManage && (
        <Flex justify="flex-end">
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')}>
            {t('staffAdmin.add')}
          </Button>
        </Flex>
      )}
      <Table<StaffAccount>
        rowKey="id"
        loading={accounts.isPending}
        dataSource={accounts.data?.items ?? []}
        pagination={false}
        columns={[
          { key: 'displayName', title: t('staffAdmin.displayName'), dataIndex: 'displayName' },
          { key: 'username', title: t('staffAdmin.username'), dataIndex: 'username' },
          { key: 'role', title: t('staffAdmin.role'), render: (_, account) => t(`roles.${account.role}`) },
          {
            key: 'stores',
            title: t('staffAdmin.stores'),
            render: (_, account) => (account.storeIds ? account.storeIds.map((id) => storeName.get(id) ?? id).join('、') : t('staffAdmin.allStores')),
          },
          {
            key: 'status',
            title: t('staffAdmin.status'),
            render: (_, account) => (
              <Space size={4} wrap>
                {account.isDisabled ? <Tag>{t('staffAdmin.disabled')}</Tag> : <Tag color="green">{t('staffAdmin.active')}</Tag>}
                {account.isLocked && <Tag color="red">{t('staffAdmin.locked')}</Tag>}
                {account.mustChangePassword && <Tag color="orange">{t('staffAdmin.mustChange')}</Tag>}
              </Space>
            ),
          },
          {
            key: 'lastLogin',
            title: t('staffAdmin.lastLogin'),
            render: (_, account) => (account.lastLoginAt ? dayjs(account.lastLoginAt).format('YYYY-MM-DD HH:mm') : t('staffAdmin.never')),
          },
          {
            key: 'actions',
            title: t('staffAdmin.actions'),
            render: (_, account) =>
              account.id === me.user.id ? null : (
                <Space size={4} wrap>
                  {canManage && (
                    <Button size="small" onClick={() => setEditing(account)}>
                      {t('common.edit')}
                    </Button>
                  )}
                  <Button size="small" onClick={() => setResetting(account)}>
                    {t('staffAdmin.resetPassword')}
                  </Button>
                  {canManage && account.isLocked && (
                    <Button size="small" onClick={() => void run(account.id, 'unlock')}>
                      {t('staffAdmin.unlock')}
                    </Button>
                  )}
                  {canManage &&
                    (account.isDisabled ? (
                      <Button size="small" onClick={() => void run(account.id, 'enable')}>
                        {t('staffAdmin.enable')}
                      </Button>
                    ) : (
                      <Popconfirm title={t('staffAdmin.disableConfirm')} onConfirm={() => run(account.id, 'disable')}>
                        <Button size="small" danger>
                          {t('staffAdmin.disable')}
                        </Button>
                      </Popconfirm>
                    ))}
                </Space>
              ),
          },
        ]}
      />
      {editing && <StaffDialog account={editing === 'new' ? null : editing} onClose={() => setEditing(null)} />}
      {resetting && <ResetPasswordDialog account={resetting} onClose={() => setResetting(null)} />}
    </Flex>
  );
};

type StaffValues = StaffCreateInput;

const StaffDialog = ({ account, onClose }: { account: StaffAccount | null; onClose: () => void }) => {
  const { t } = useTranslation();
  const [form] = Form.useForm<StaffValues>();
  const [problem, setProblem] = useState<FormProblem | null>(null);
  const placeServerErrors = usePlaceServerErrors();
  const stores = useStores();
  const create = useCreateStaff();
  const update = useUpdateStaff();

  const submit = async (values: StaffValues) => {
    setProblem(null);
    const storeIds = values.storeIds && values.storeIds.length > 0 ? values.storeIds : null;
    try {
      if (account) await update.mutateAsync({ id: account.id, displayName: values.displayName, role: values.role, storeIds });
      else await create.mutateAsync({ ...values, storeIds });
      onClose();
    } catch (error) {
      setProblem(
        placeServerErrors(form, error, {
          knownFields: [['username'], ['displayName'], ['role'], ['storeIds'], ['password']],
          failedTitle: t('settings.saveFailed'),
        }),
      );
    }
  };

  return (
    <Modal
      open
      title={account ? t('staffAdmin.editTitle') : t('staffAdmin.addTitle')}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      confirmLoading={create.isPending || update.isPending}
      onOk={() => form.submit()}
      onCancel={onClose}
    >
      <FormProblemAlert problem={problem} />
      <Form<StaffValues>
        form={form}
        name="staff"
        layout="vertical"
        initialValues={account ? { ...account, storeIds: account.storeIds ?? [] } : { role: 'front_desk', storeIds: [] }}
        onFinish={(values) => void submit(values)}
      >
        <Form.Item
          name="displayName"
          label={t('staffAdmin.displayName')}
          rules={[{ required: true, whitespace: true, message: t('staffAdmin.displayNameRequired') }]}
        >
          <Input />
        </Form.Item>
        {account ? (
          <Form.Item label={t('staffAdmin.username')}>
            <Typography.Text>{account.username}</Typography.Text>
          </Form.Item>
        ) : (
          <Form.Item
            name="username"
            label={t('staffAdmin.username')}
            rules={[{ required: true, pattern: /^[a-zA-Z][a-zA-Z0-9_.-]{2,39}$/, message: t('staffAdmin.usernameInvalid') }]}
          >
            <Input autoComplete="off" />
          </Form.Item>
        )}
        <Form.Item name="role" label={t('staffAdmin.role')} rules={[{ required: true, message: t('staffAdmin.roleRequired') }]}>
          <Select options={roleOrder.map((role) => ({ value: role, label: t(`roles.${role}`) }))} />
        </Form.Item>
        <Form.Item name="storeIds" label={t('staffAdmin.stores')} extra={t('staffAdmin.storesHelp')}>
          <Select
            mode="multiple"
            allowClear
            placeholder={t('staffAdmin.allStores')}
            options={(stores.data?.items ?? []).filter((store) => !store.closedAt).map((store) => ({ value: store.id, label: store.name }))}
          />
        </Form.Item>
        {!account && (
          <Form.Item
            name="password"
            label={t('staffAdmin.initialPassword')}
            extra={t('staffAdmin.initialPasswordHelp')}
            rules={[
              { required: true, message: t('password.required') },
              { min: 10, message: t('staffAdmin.passwordTooShort') },
            ]}
          >
            <Input.Password autoComplete="new-password" />
          </Form.Item>
        )}
      </Form>
    </Modal>
  );
};

const ResetPasswordDialog = ({ account, onClose }: { account: StaffAccount; onClose: () => void }) => {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ temporaryPassword: string }>();
  const [problem, setProblem] = useState<FormProblem | null>(null);
  const placeServerErrors = usePlaceServerErrors();
  const reset = useResetPassword();

  const submit = async ({ temporaryPassword }: { temporaryPassword: string }) => {
    setProblem(null);
    try {
      await reset.mutateAsync({ id: account.id, temporaryPassword });
      void message.success(t('staffAdmin.resetDone'));
      onClose();
    } catch (error) {
      setProblem(placeServerErrors(form, error, { knownFields: [['temporaryPassword']], failedTitle: t('settings.saveFailed') }));
    }
  };

  return (
    <Modal
      open
      title={t('staffAdmin.resetTitle', { name: account.displayName })}
      okText={t('staffAdmin.resetPassword')}
      cancelText={t('common.cancel')}
      confirmLoading={reset.isPending}
      onOk={() => form.submit()}
      onCancel={onClose}
    >
      <Typography.Paragraph type="secondary">{t('staffAdmin.resetIntro')}</Typography.Paragraph>
      <FormProblemAlert problem={problem} />
      <Form form={form} name="reset-password" layout="vertical" onFinish={(values) => void submit(values)}>
        <Form.Item
          name="temporaryPassword"
          label={t('staffAdmin.temporaryPassword')}
          rules={[
            { required: true, message: t('password.required') },
            { min: 10, message: t('staffAdmin.passwordTooShort') },
          ]}
        >
          <Input.Password autoComplete="new-password" />
        </Form.Item>
      </Form>
    </Modal>
  );
};
