import { PlusOutlined } from '@ant-design/icons';
import { Alert, App, Button, Flex, Form, Input, Modal, Popconfirm, Space, Table, Tag } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Store, StoreInput } from '../../shared/api-models';
import { useErrorMessage } from '../common/error-message';
import { FormProblemAlert } from '../common/form-problem-alert';
import { type FormProblem, usePlaceServerErrors } from '../common/form-server-errors';
import { useCloseStore, useCreateStore, useReopenStore, useStores, useUpdateStore } from './clinic-queries';

/** 设置 → 门店: stores are opened, edited and closed, never deleted (their orders keep naming them). */
export const StoresPanel = () => {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const errorMessage = useErrorMessage();
  const stores = useStores();
  const close = useCloseStore();
  const reopen = useReopenStore();
  const [editing, setEditing] = useState<Store | 'new' | null>(null);

  const act = async (run: () => Promise<unknown>) => {
    try {
      await run();
    } catch (error) {
      void message.error(errorMessage(error));
    }
  };

  if (stores.isError) return <Alert type="error" showIcon title={errorMessage(stores.error)} />;
  return (
    <Flex vertical gap="middle">
      <Flex justify="flex-end">
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')}>
          {t('storesAdmin.add')}
        </Button>
      </Flex>
      <Table<Store>
        rowKey="id"
        loading={stores.isPending}
        dataSource={stores.data?.items ?? []}
        pagination={false}
        columns={[
          { key: 'name', title: t('storesAdmin.name'), dataIndex: 'name' },
          { key: 'address', title: t('storesAdmin.address'), dataIndex: 'address', render: (value: string | null) => value ?? t('common.empty') },
          { key: 'phone', title: t('storesAdmin.phone'), dataIndex: 'phone', render: (value: string | null) => value ?? t('common.empty') },
          {
            key: 'status',
            title: t('storesAdmin.status'),
            render: (_, store) => (store.closedAt ? <Tag>{t('storesAdmin.closed')}</Tag> : <Tag color="green">{t('storesAdmin.open')}</Tag>),
          },
          {
            key: 'actions',
            title: t('storesAdmin.actions'),
            render: (_, store) => (
              <Space>
                <Button size="small" onClick={() => setEditing(store)}>
                  {t('common.edit')}
                </Button>
                {store.closedAt ? (
                  <Button size="small" onClick={() => void act(() => reopen.mutateAsync(store.id))}>
                    {t('storesAdmin.reopen')}
                  </Button>
                ) : (
                  <Popconfirm title={t('storesAdmin.closeConfirm')} onConfirm={() => act(() => close.mutateAsync(store.id))}>
                    <Button size="small" danger>
                      {t('storesAdmin.close')}
                    </Button>
                  </Popconfirm>
                )}
              </Space>
            ),
          },
        ]}
      />
      {editing && <StoreDialog store={editing === 'new' ? null : editing} onClose={() => setEditing(null)} />}
    </Flex>
  );
};

const StoreDialog = ({ store, onClose }: { store: Store | null; onClose: () => void }) => {
  const { t } = useTranslation();
  const [form] = Form.useForm<StoreInput>();
  const [problem, setProblem] = useState<FormProblem | null>(null);
  const placeServerErrors = usePlaceServerErrors();
  const create = useCreateStore();
  const update = useUpdateStore();

  const submit = async (values: StoreInput) => {
    setProblem(null);
    try {
      const body = { name: values.name, address: values.address ?? null, phone: values.phone ?? null };
      if (store) await update.mutateAsync({ id: store.id, ...body });
      else await create.mutateAsync(body);
      onClose();
    } catch (error) {
      setProblem(
        placeServerErrors(form, error, { knownFields: [['name'], ['address'], ['phone']], conflictField: ['name'], failedTitle: t('settings.saveFailed') }),
      );
    }
  };

  return (
    <Modal
      open
      title={store ? t('storesAdmin.editTitle') : t('storesAdmin.addTitle')}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      confirmLoading={create.isPending || update.isPending}
      onOk={() => form.submit()}
      onCancel={onClose}
    >
      <FormProblemAlert problem={problem} />
      <Form<StoreInput> form={form} name="store" layout="vertical" initialValues={store ?? {}} onFinish={(values) => void submit(values)}>
        <Form.Item name="name" label={t('storesAdmin.name')} rules={[{ required: true, whitespace: true, message: t('storesAdmin.nameRequired') }]}>
          <Input />
        </Form.Item>
        <Form.Item name="address" label={t('storesAdmin.address')}>
          <Input />
        </Form.Item>
        <Form.Item name="phone" label={t('storesAdmin.phone')}>
          <Input />
        </Form.Item>
      </Form>
    </Modal>
  );
};
