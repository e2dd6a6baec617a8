import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { App, AutoComplete, Button, Card, Empty, Flex, Form, Popconfirm, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { Family } from '../../shared/api-models';
import { useCan } from '../auth/me-context';
import { useErrorMessage } from '../common/error-message';
import { useAddFamilyMember, useRemoveFamilyMember } from './customer-queries';
import { CustomerSearchSelect } from './customer-search-select';

type FamilyCardProps = { customerId: string; family: Family | null };

type AddMemberValues = { memberId: string; relation?: string };

const relationKeys = ['spouse', 'child', 'daughter', 'son', 'parent', 'mother', 'father', 'sibling'] as const;

/** 家庭: the customers linked to this one, e.g. for family-shared cards. */
export const FamilyCard = ({ customerId, family }: FamilyCardProps) => {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const canWrite = useCan('customers.write');
  const errorMessage = useErrorMessage();
  const [form] = Form.useForm<AddMemberValues>();
  const add = useAddFamilyMember(customerId);
  const remove = useRemoveFamilyMember(customerId);
  const others = (family?.members ?? []).filter((member) => member.id !== customerId);

  const addMember = (values: AddMemberValues) =>
    add.mutate(
      { memberId: values.memberId, ...(values.relation?.trim() ? { relation: values.relation.trim() } : {}) },
      {
        onSuccess: () => {
          form.resetFields();
          void message.success(t('customer360.familyMemberAdded'));
        },
        onError: (error) => void message.error(errorMessage(error)),
      },
    );

  const removeMember = (memberId: string) =>
    remove.mutate(memberId, {
      onSuccess: () => void message.success(t('customer360.familyMemberRemoved')),
      onError: (error) => void message.error(errorMessage(error)),
    });

  return (
    <Card title={t('customer360.family')}>
      <Flex vertical gap="middle">
        {others.length === 0 ? (
          <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('customer360.noFamily')} />
        ) : (
          <Flex vertical gap="small">
            {others.map((member) => (
              <Flex key={member.id} align="center" justify="space-between">
                <Flex align="center" gap="small">
                  <Link to={`/customers/${member.id}`}>{member.name}</Link>
                  {member.relation && <Tag color="magenta">{member.relation}</Tag>}
                  <Typography.Text type="secondary">{t(`gender.${member.gender}`)}</Typography.Text>
                </Flex>
                {canWrite && (
                  <Popconfirm
                    title={t('customer360.removeFamilyConfirm', { name: member.name })}
                    onConfirm={() => removeMember(member.id)}
                    okText={t('common.remove')}
                    cancelText={t('common.cancel')}
                  >
                    <Button type="text" danger size="small" icon={<DeleteOutlined />} loading={remove.isPending && remove.variables === member.id}>
                      {t('common.remove')}
                    </Button>
                  </Popconfirm>
                )}
              </Flex>
            ))}
          </Flex>
        )}
        {canWrite && (
          <Form<AddMemberValues> form={form} name="family" layout="inline" onFinish={addMember} style={{ rowGap: 8 }}>
            <Form.Item name="memberId" rules={[{ required: true, message: t('customer360.familyMemberRequired') }]}>
              <CustomerSearchSelect
                aria-label={t('customer360.familyMember')}
                placeholder={t('customerForm.placeholders.referrer')}
                excludeIds={[customerId, ...others.map((member) => member.id)]}
                style={{ width: 240 }}
              />
            </Form.Item>
            <Form.Item name="relation">
              <AutoComplete
                aria-label={t('customer360.relation')}
                placeholder={t('customer360.relationPlaceholder')}
                style={{ width: 160 }}
                options={relationKeys.map((key) => ({ value: t(`customer360.relationOptions.${key}`) }))}
                showSearch={{ filterOption: true }}
              />
            </Form.Item>
            <Button htmlType="submit" icon={<PlusOutlined />} loading={add.isPending}>
              {t('customer360.addFamilyMember')}
            </Button>
          </Form>
        )}
      </Flex>
    </Card>
  );
};
