import { ArrowDownOutlined, ArrowUpOutlined, PlusOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Flex, Form, InputNumber, Popconfirm, Select, Skeleton, Space, Switch, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useCan } from '../auth/me-context';
import { useItemCategories } from '../catalog/catalog-queries';
import { useErrorMessage } from '../common/error-message';
import {
  type MembershipSettings,
  type Tier,
  useArchiveTier,
  useMembershipSettings,
  useReorderTiers,
  useSaveMembershipSettings,
  useTiers,
} from './membership-queries';
import { TierFormDrawer } from './tier-form-drawer';
import { useTierText } from './tier-text';

/** 会员等级 settings: the tiers from the lowest to the highest, their criteria and benefits, and the window. */
export const TiersPage = () => {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const errorMessage = useErrorMessage();
  const canManage = useCan('membership.manage');
  const tiers = useTiers();
  const settings = useMembershipSettings();
  const categories = useItemCategories();
  const reorder = useReorderTiers();
  const archive = useArchiveTier();
  const [editing, setEditing] = useState<{ tier: Tier | null } | null>(null);
  const categoryNames = Object.fromEntries((categories.data?.items ?? []).map((category) => [category.id, category.name]));
  const text = useTierText(categoryNames);

  if (tiers.isPending || settings.isPending) return <Skeleton active paragraph={{ rows: 8 }} />;
  if (tiers.isError) return <Alert type="error" showIcon title={errorMessage(tiers.error)} />;
  if (settings.isError) return <Alert type="error" showIcon title={errorMessage(settings.error)} />;
  const items = tiers.data.items;

  const move = (index: number, by: -1 | 1) => {
    const ids = items.map((tier) => tier.id);
    const [moved] = ids.splice(index, 1);
    if (!moved) return;
    ids.splice(index + by, 0, moved);
    reorder.mutate(ids, { onError: (error) => void message.error(errorMessage(error)) });
  };

  return (
    <Flex vertical gap="middle">
      <Card>
        <Flex vertical gap="small">
          <Flex justify="space-between" align="center">
            <Typography.Title level={3} style={{ margin: 0 }}>
              {t('membership.title')}
            </Typography.Title>
            {canManage && (
              <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing({ tier: null })}>
                {t('membership.add')}
              </Button>
            )}
          </Flex>
          <Typography.Paragraph type="secondary" style={{ margin: 0 }}>
            {t('membership.intro', { months: settings.data.windowMonths })}
          </Typography.Paragraph>
          <Table<Tier>
            rowKey="id"
            dataSource={items}
            pagination={false}
            // Long English labels scroll inside the card, the actions kept in view at the right.
            scroll={{ x: 'max-content' }}
            locale={{ emptyText: t('membership.empty') }}
            columns={[
              { key: 'rank', title: t('membership.columns.rank'), width: 70, render: (_, tier) => <Tag color="gold">{`Lv${tier.rank}`}</Tag> },
              {
                key: 'name',
                title: t('membership.columns.name'),
                width: 200,
                render: (_, tier) => (
                  <Flex vertical>
                    <Typography.Text strong>{tier.name}</Typography.Text>
                    {tier.description && (
                      <Typography.Text type="secondary" ellipsis={{ tooltip: tier.description }} style={{ maxWidth: 180 }}>
                        {tier.description}
                      </Typography.Text>
                    )}
                  </Flex>
                ),
              },
              { key: 'criteria', title: t('membership.columns.criteria'), width: 200, render: (_, tier) => text.criteria(tier.criteria) },
              { key: 'retention', title: t('membership.columns.retention'), width: 110, render: (_, tier) => text.retention(tier) },
              {
                key: 'benefits',
                title: t('membership.columns.benefits'),
                width: 280,
                render: (_, tier) => {
                  const list = text.benefits(tier.benefits);
                  return list.length === 0 ? (
                    <Typography.Text type="secondary">{t('membership.benefits.none')}</Typography.Text>
                  ) : (
                    <Flex wrap gap={4}>
                      {list.map((benefit) => (
                        <Tag key={benefit}>{benefit}</Tag>
                      ))}
                    </Flex>
                  );
                },
              },
              {
                key: 'customers',
                title: t('membership.columns.customers'),
                align: 'right',
                width: 80,
                render: (_, tier) => tier.customerCount.toLocaleString('en-US'),
              },
              ...(canManage
                ? [
                    {
                      key: 'actions',
                      title: t('membership.columns.actions'),
                      fixed: 'right' as const,
                      render: (_: unknown, tier: Tier, index: number) => (
                        <Space size={0}>
                          <Button type="link" onClick={() => setEditing({ tier })}>
                            {t('membership.edit')}
                          </Button>
                          <Button
                            type="text"
                            icon={<ArrowUpOutlined />}
                            aria-label={t('membership.moveUp')}
                            disabled={index === 0}
                            onClick={() => move(index, -1)}
                          />
                          <Button
                            type="text"
                            icon={<ArrowDownOutlined />}
                            aria-label={t('membership.moveDown')}
                            disabled={index === items.length - 1}
                            onClick={() => move(index, 1)}
                          />
                          <Popconfirm
                            title={t('membership.archiveConfirm', { name: tier.name })}
                            onConfirm={() =>
                              archive.mutateAsync(tier.id).then(
                                () => void message.success(t('membership.archived')),
                                (error: unknown) => void message.error(errorMessage(error)),
                              )
                            }
                          >
                            <Button type="link" danger>
                              {t('membership.archive')}
                            </Button>
                          </Popconfirm>
                        </Space>
                      ),
                    },
                  ]
                : []),
            ]}
          />
        </Flex>
      </Card>
      <MembershipSettingsCard settings={settings.data} canManage={canManage} />
      <TierFormDrawer open={editing !== null} tier={editing?.tier ?? null} onClose={() => setEditing(null)} />
    </Flex>
  );
};

const MembershipSettingsCard = ({ settings, canManage }: { settings: MembershipSettings; canManage: boolean }) => {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const errorMessage = useErrorMessage();
  const save = useSaveMembershipSettings();
  return (
    <Card title={t('membership.settings.title')}>
      <Form<MembershipSettings>
        name="membership-settings"
        layout="inline"
        disabled={!canManage}
        initialValues={settings}
        onFinish={(values) =>
          save.mutateAsync(values).then(
            () => void message.success(t('membership.saved')),
            (error: unknown) => void message.error(errorMessage(error)),
          )
        }
      >
        <Form.Item name="isEnabled" label={t('membership.settings.isEnabled')} valuePropName="checked">
          <Switch />
        </Form.Item>
        <Form.Item name="measure" label={t('membership.settings.measure')}>
          <Select
            style={{ width: 200 }}
            options={[
              { value: 'rolling', label: t('membership.settings.measureRolling') },
              { value: 'cumulative', label: t('membership.settings.measureCumulative') },
            ]}
          />
        </Form.Item>
        <Form.Item name="windowMonths" label={t('membership.settings.windowMonths')} extra={t('membership.settings.windowHelp')} rules={[{ required: true }]}>
          <InputNumber min={1} max={36} precision={0} />
        </Form.Item>
        <Form.Item>
          <Button htmlType="submit" loading={save.isPending}>
            {t('membership.settings.save')}
          </Button>
        </Form.Item>
      </Form>
    </Card>
  );
};
