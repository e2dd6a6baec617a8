import { PlusOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Checkbox, Flex, Switch, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatYuan } from '../../shared/money';
import { useCan } from '../auth/me-context';
import { useErrorMessage } from '../common/error-message';
import { useServerText } from '../common/server-text';
import { TemplateFormDrawer } from './template-form-drawer';
import { zheOfBasisPointsOff } from './template-form-values';
import { useToggleVoucherTemplate, useVoucherTemplates, type VoucherTemplate } from './voucher-queries';
import { VoucherTitle } from './voucher-title';
import { VouchersTabs } from './vouchers-tabs';

/** The kind's value in a few words: ¥100，满 ¥500 可用 / 8.5 折，最多减 ¥200 / 免费体验 1 次. */
export const useTemplateValueText = () => {
  const { t } = useTranslation();
  return (template: Pick<VoucherTemplate, 'kind' | 'faceValueFen' | 'thresholdFen' | 'discountBasisPoints' | 'maxOffFen'>): string => {
    switch (template.kind) {
      case 'cash_off': {
        const face = formatYuan(template.faceValueFen ?? 0);
        return template.thresholdFen > 0
          ? t('vouchers.templates.value.cashOff', { face, threshold: formatYuan(template.thresholdFen) })
          : t('vouchers.templates.value.cashOffNoThreshold', { face });
      }
      case 'discount': {
        const zhe = zheOfBasisPointsOff(template.discountBasisPoints ?? 0);
        const off = (template.discountBasisPoints ?? 0) / 100;
        return template.maxOffFen
          ? t('vouchers.templates.value.discountCap', { zhe, off, cap: formatYuan(template.maxOffFen) })
          : t('vouchers.templates.value.discount', { zhe, off });
      }
      case 'item':
        return template.faceValueFen
          ? t('vouchers.templates.value.itemCap', { face: formatYuan(template.faceValueFen) })
          : t('vouchers.templates.value.itemFree');
      case 'gift':
        return t('vouchers.templates.value.gift');
    }
  };
};

/** 券模板: every voucher the clinic gives, with the title customers see, the stock left and the rules. */
export const VoucherTemplatesPage = () => {
  const { t } = useTranslation();
  const serverText = useServerText();
  const { message } = App.useApp();
  const errorMessage = useErrorMessage();
  const canManage = useCan('vouchers.manage');
  const [showInactive, setShowInactive] = useState(true);
  const templates = useVoucherTemplates(showInactive);
  const toggle = useToggleVoucherTemplate();
  const valueText = useTemplateValueText();
  // null: closed; { template: null }: 新建; a template: 编辑.
  const [editing, setEditing] = useState<{ template: VoucherTemplate | null } | null>(null);

  return (
    <Flex vertical gap="middle">
      <VouchersTabs
        intro={t('vouchers.templates.intro')}
        extra={
          canManage && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing({ template: null })}>
              {t('vouchers.templates.add')}
            </Button>
          )
        }
      />
      <Card>
        <Flex vertical gap="small">
          <Checkbox checked={showInactive} onChange={(event) => setShowInactive(event.target.checked)} style={{ alignSelf: 'flex-end' }}>
            {t('vouchers.templates.showInactive')}
          </Checkbox>
          {templates.isError && <Alert type="error" showIcon title={errorMessage(templates.error)} />}
          <Table<VoucherTemplate>
            rowKey="id"
            loading={templates.isPending}
            dataSource={templates.data?.items ?? []}
            pagination={false}
            // Headers in English need their width: the table scrolls inside the card rather than break a word.
            scroll={{ x: 'max-content' }}
            locale={{ emptyText: t('vouchers.templates.empty') }}
            columns={[
              {
                key: 'title',
                title: t('vouchers.templates.columns.title'),
                width: 300,
                render: (_, template) => (
                  <Flex vertical gap={2}>
                    <Typography.Text strong type={template.isActive ? undefined : 'secondary'}>
                      <Tag color="orange" style={{ marginInlineEnd: 6 }}>
                        {t(`vouchers.kinds.${template.kind}`)}
                      </Tag>
                      <VoucherTitle title={template.title} />
                    </Typography.Text>
                    {template.description && (
                      <Typography.Text type="secondary" style={{ fontSize: 12 }} ellipsis={{ tooltip: template.description }}>
                        {template.description}
                      </Typography.Text>
                    )}
                  </Flex>
                ),
              },
              { key: 'value', title: t('vouchers.templates.columns.value'), width: 130, render: (_, template) => valueText(template) },
              { key: 'scope', title: t('vouchers.templates.columns.scope'), dataIndex: 'scopeLabel', width: 120, render: serverText.voucherScope },
              {
                key: 'validity',
                title: t('vouchers.templates.columns.validity'),
                width: 120,
                render: (_, template) =>
                  template.validity.kind === 'fixed'
                    ? t('vouchers.templates.validityFixed', { from: template.validity.from, to: template.validity.to })
                    : t('vouchers.templates.validityRelative', { days: template.validity.days }),
              },
              {
                key: 'stock',
                title: t('vouchers.templates.columns.stock'),
                width: 120,
                render: (_, template) => (
                  <span data-testid="voucher-template-stock">
                    {template.totalStock === null
                      ? t('vouchers.templates.stockUnlimited', { issued: template.issuedCount })
                      : t('vouchers.templates.stockLeft', { left: template.stockLeft ?? 0, total: template.totalStock })}
                  </span>
                ),
              },
              {
                key: 'limit',
                title: t('vouchers.templates.columns.limit'),
                width: 120,
                render: (_, template) => t('vouchers.templates.limit', { count: template.perCustomerLimit }),
              },
              {
                key: 'channels',
                title: t('vouchers.templates.columns.channels'),
                width: 130,
                render: (_, template) => (
                  <Flex gap={4} wrap>
                    {template.channels.map((channel) => (
                      <Tag key={channel} color={channel === 'store' ? 'blue' : 'purple'} style={{ marginInlineEnd: 0 }}>
                        {t(`vouchers.channels.${channel}`)}
                      </Tag>
                    ))}
                    <Tag color={template.isStackable ? 'green' : 'default'} style={{ marginInlineEnd: 0 }}>
                      {template.isStackable ? t('vouchers.templates.stackable') : t('vouchers.templates.notStackable')}
                    </Tag>
                  </Flex>
                ),
              },
              {
                key: 'active',
                title: t('vouchers.templates.columns.active'),
                width: 90,
                render: (_, template) => (
                  <Switch
                    size="small"
                    aria-label={t('vouchers.templates.activeOf', { name: template.name })}
                    checked={template.isActive}
                    disabled={!canManage}
                    loading={toggle.isPending && toggle.variables?.id === template.id}
                    onChange={(isActive) =>
                      toggle.mutate(
                        { id: template.id, isActive },
                        {
                          onSuccess: () =>
                            void message.success(
                              isActive
                                ? t('vouchers.templates.activated', { name: template.name })
                                : t('vouchers.templates.deactivated', { name: template.name }),
                            ),
                          onError: (error) => void message.error(errorMessage(error)),
                        },
                      )
                    }
                  />
                ),
              },
              ...(canManage
                ? [
                    {
                      key: 'actions',
                      title: t('vouchers.templates.columns.actions'),
                      width: 90,
                      fixed: 'right' as const,
                      render: (_: unknown, template: VoucherTemplate) => (
                        <Button size="small" onClick={() => setEditing({ template })}>
                          {t('vouchers.templates.edit')}
                        </Button>
                      ),
                    },
                  ]
                : []),
            ]}
          />
        </Flex>
      </Card>
      <TemplateFormDrawer open={editing !== null} template={editing?.template ?? null} onClose={() => setEditing(null)} />
    </Flex>
  );
};
