import { PlusOutlined } from '@ant-design/icons';
import { Alert, App, Button, Flex, Form, Input, InputNumber, Table } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ItemCategory, ItemCategoryInput } from '../../shared/api-models';
import { useCan } from '../auth/me-context';
import { useErrorMessage } from '../common/error-message';
import { FormProblemAlert } from '../common/form-problem-alert';
import { type FormProblem, usePlaceServerErrors } from '../common/form-server-errors';
import { useCreateCategory, useItemCategories } from './catalog-queries';

type CategoryValues = { name: string; sortOrder?: number | null };

/** 分类: the catalogue's categories with how many items each holds; owners add new ones. */
export const CategoriesPanel = ({ onShowItems }: { onShowItems: (categoryId: string) => void }) => {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const canManage = useCan('catalog.manage');
  const errorMessage = useErrorMessage();
  const placeServerErrors = usePlaceServerErrors();
  const categories = useItemCategories();
  const create = useCreateCategory();
  const [form] = Form.useForm<CategoryValues>();
  const [problem, setProblem] = useState<FormProblem | null>(null);

  const add = async (values: CategoryValues) => {
    setProblem(null);
    const input: ItemCategoryInput = { name: values.name.trim(), ...(values.sortOrder != null ? { sortOrder: values.sortOrder } : {}) };
    try {
      const created = await create.mutateAsync(input);
      form.resetFields();
      void message.success(t('catalog.categories.created', { name: created.name }));
    } catch (error) {
      setProblem(
        placeServerErrors(form, error, { knownFields: [['name'], ['sortOrder']], conflictField: ['name'], failedTitle: t('catalog.form.saveFailed') }),
      );
    }
  };

  return (
    <Flex vertical gap="middle">
      {canManage && (
        <>
          <FormProblemAlert problem={problem} />
          <Form<CategoryValues> form={form} name="category" layout="inline" onFinish={(values) => void add(values)} style={{ rowGap: 8 }}>
            <Form.Item
              name="name"
              label={t('catalog.categories.name')}
              rules={[
                { required: true, whitespace: true, message: t('catalog.categories.nameRequired') },
                { max: 20, message: t('catalog.categories.nameTooLong') },
              ]}
            >
              <Input autoComplete="off" style={{ width: 200 }} />
            </Form.Item>
            <Form.Item name="sortOrder" label={t('catalog.categories.sortOrder')}>
              <InputNumber min={0} max={9999} precision={0} style={{ width: 100 }} />
            </Form.Item>
            <Button htmlType="submit" icon={<PlusOutlined />} loading={create.isPending}>
              {t('catalog.categories.create')}
            </Button>
          </Form>
        </>
      )}
      {categories.isError && <Alert type="error" showIcon title={errorMessage(categories.error)} />}
      <Table<ItemCategory>
        rowKey="id"
        size="middle"
        loading={categories.isPending}
        dataSource={categories.data?.items ?? []}
        pagination={false}
        locale={{ emptyText: t('catalog.categories.emptyText') }}
        columns={[
          { key: 'name', title: t('catalog.categories.name'), dataIndex: 'name' },
          { key: 'sortOrder', title: t('catalog.categories.sortOrder'), dataIndex: 'sortOrder', width: 120 },
          {
            key: 'itemCount',
            title: t('catalog.categories.itemCount'),
            width: 160,
            render: (_, category) => (
              <Button type="link" style={{ paddingInline: 0 }} onClick={() => onShowItems(category.id)}>
                {t('catalog.categories.itemCountValue', { count: category.itemCount })}
              </Button>
            ),
          },
        ]}
      />
    </Flex>
  );
};
