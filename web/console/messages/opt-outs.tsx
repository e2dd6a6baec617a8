import { Alert, App, Button, Flex, Form, Input, Modal, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useCan } from '../auth/me-context';
import { useErrorMessage } from '../common/error-message';
import { formatTenantTime, useTenantTimezone } from '../common/tenant-time';
import { type Suppression, useAddSuppression, useRemoveSuppression, useSuppressions } from './messages-queries';

/** 退订名单: phones that refused marketing SMS — by their reply or at their word to staff — and taking one off when she asks again. */
export const OptOuts = () => {
  const { t } = useTranslation();
  const { message, modal } = App.useApp();
  const errorMessage = useErrorMessage();
  const timezoneName = useTenantTimezone();
  const canManage = useCan('messages.manage');
  const [page, setPage] = useState(1);
  const [isAdding, setIsAdding] = useState(false);
  const [form] = Form.useForm<{ phone: string; note?: string }>();
  const list = useSuppressions(page);
  const add = useAddSuppression();
  const remove = useRemoveSuppression();

  const submit = async (values: { phone: string; note?: string }) => {
    try {
      await add.mutateAsync({ phone: values.phone.replace(/\D/g, '').slice(-11), note: values.note?.trim() || null });
      void message.success(t('messaging.optOuts.added'));
      form.resetFields();
      setIsAdding(false);
    } catch (error) {
      void message.error(errorMessage(error));
    }
  };

  if (list.isError) return <Alert type="error" showIcon title={errorMessage(list.error)} />;
  return (
    <Flex vertical gap="small">
      <Flex justify="space-between" align="center" gap="middle">
        <Typography.Paragraph type="secondary" style={{ margin: 0 }}>
          {t('messaging.optOuts.intro')}
        </Typography.Paragraph>
        {canManage && (
          <Button type="primary" onClick={() => setIsAdding(true)} style={{ flexShrink: 0 }}>
            {t('messaging.optOuts.add')}
          </Button>
        )}
      </Flex>
      <Table<Suppression>
        size="small"
        rowKey="phone"
        loading={list.isPending}
        dataSource={list.data?.items ?? []}
        locale={{ emptyText: t('messaging.optOuts.empty') }}
        pagination={{ current: page, pageSize: 20, total: list.data?.total ?? 0, onChange: setPage, showSizeChanger: false }}
        columns={[
          { key: 'phone', title: t('messaging.optOuts.phone'), dataIndex: 'phone', width: 140 },
          {
            key: 'source',
            title: t('messaging.optOuts.source'),
            width: 120,
            render: (_, row) => <Tag>{t(`messaging.optOuts.sources.${row.source}` as 'messaging.optOuts.sources.manual', { defaultValue: row.source })}</Tag>,
          },
          { key: 'note', title: t('messaging.optOuts.note'), render: (_, row) => row.note ?? '—' },
          {
            key: 'createdAt',
            title: t('messaging.optOuts.createdAt'),
            width: 150,
            render: (_, row) => formatTenantTime(row.createdAt, timezoneName, 'YYYY-MM-DD HH:mm'),
          },
          ...(canManage
            ? [
                {
                  key: 'actions',
                  width: 110,
                  render: (_: unknown, row: Suppression) => (
                    <Button
                      size="small"
                      danger
                      onClick={() =>
                        modal.confirm({
                          title: t('messaging.optOuts.removeConfirm', { phone: row.phone }),
                          onOk: async () => {
                            await remove.mutateAsync(row.phone);
                            void message.success(t('messaging.optOuts.removed'));
                          },
                        })
                      }
                    >
                      {t('messaging.optOuts.remove')}
                    </Button>
                  ),
                },
              ]
            : []),
        ]}
      />
      <Modal
        open={isAdding}
        title={t('messaging.optOuts.add')}
        onCancel={() => setIsAdding(false)}
        onOk={() => form.submit()}
        confirmLoading={add.isPending}
        destroyOnHidden
      >
        <Form form={form} layout="vertical" onFinish={(values) => void submit(values)}>
          <Form.Item
            name="phone"
            label={t('messaging.optOuts.phone')}
            rules={[{ required: true, pattern: /^(\+?86[\s-]?)?1\d{2}[\s-]?\d{4}[\s-]?\d{4}$/, message: t('messaging.optOuts.phone') }]}
          >
            <Input inputMode="tel" maxLength={20} />
          </Form.Item>
          <Form.Item name="note" label={t('messaging.optOuts.note')}>
            <Input placeholder={t('messaging.optOuts.notePlaceholder')} maxLength={100} />
          </Form.Item>
        </Form>
      </Modal>
    </Flex>
  );
};
