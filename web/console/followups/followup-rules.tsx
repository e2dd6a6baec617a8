import { Alert, App, Button, Card, Drawer, Empty, Flex, Form, Input, Radio, Select, Skeleton, Switch, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useCan } from '../auth/me-context';
import { useItemCategories, useItems } from '../catalog/catalog-queries';
import { useErrorMessage } from '../common/error-message';
import { type FollowupRule, type RuleInput, useFollowupRules, useSaveRule } from './followup-queries';

type Values = Omit<RuleInput, 'offsetsDays'> & { offsets: string };

const parseOffsets = (text: string): number[] =>
  [
    ...new Set(
      text
        .split(/[,，、\s]+/)
        .filter(Boolean)
        .map(Number),
    ),
  ]
    .filter((value) => Number.isInteger(value) && value >= 0 && value <= 365)
    .sort((a, b) => a - b);

const RuleDrawer = ({ rule, onClose }: { rule: FollowupRule | null; onClose: () => void }) => {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const errorMessage = useErrorMessage();
  const [form] = Form.useForm<Values>();
  const trigger = Form.useWatch('trigger', form) ?? rule?.trigger ?? 'treatment';
  const categories = useItemCategories();
  const services = useItems({ kind: 'service', page: 1, pageSize: 100 });
  const save = useSaveRule();
  const [problem, setProblem] = useState<string | null>(null);
  const initial: Values = rule
    ? { ...rule, offsets: rule.offsetsDays.join(',') }
    : { name: '', trigger: 'treatment', itemIds: [], categoryIds: [], offsets: '1,7,30', assignee: 'consultant', channel: 'call', script: '', isActive: true };

  const submit = async ({ offsets, ...values }: Values) => {
    setProblem(null);
    const offsetsDays = parseOffsets(offsets);
    if (offsetsDays.length === 0) {
      setProblem(t('followups.rules.offsetsHelp'));
      return;
    }
    const isTreatment = values.trigger === 'treatment';
    try {
      await save.mutateAsync({
        id: rule?.id ?? null,
        body: {
          ...values,
          itemIds: isTreatment ? (values.itemIds ?? []) : [],
          categoryIds: isTreatment ? (values.categoryIds ?? []) : [],
          offsetsDays,
          script: values.script ?? '',
        },
      });
      void message.success(t('followups.rules.saved'));
      onClose();
    } catch (error) {
      setProblem(errorMessage(error));
    }
  };

  return (
    <Drawer
      open
      size={520}
      title={rule ? rule.name : t('followups.rules.add')}
      onClose={onClose}
      extra={
        <Button type="primary" loading={save.isPending} onClick={() => form.submit()}>
          {t('common.save')}
        </Button>
      }
    >
      {problem && <Alert type="error" showIcon title={problem} style={{ marginBottom: 12 }} />}
      <Form<Values> form={form} layout="vertical" initialValues={initial} onFinish={(values) => void submit(values)}>
        <Form.Item name="name" label={t('followups.rules.name')} rules={[{ required: true, whitespace: true, message: t('followups.rules.name') }]}>
          <Input maxLength={40} />
        </Form.Item>
        <Form.Item name="trigger" label={t('followups.rules.trigger')}>
          <Radio.Group
            optionType="button"
            options={(['treatment', 'return_no_deal', 'sleeping'] as const).map((value) => ({ value, label: t(`followups.rules.triggers.${value}`) }))}
          />
        </Form.Item>
        {trigger === 'treatment' && (
          <>
            <Form.Item name="categoryIds" label={t('followups.rules.categories')} extra={t('followups.rules.scopeAll')}>
              <Select mode="multiple" allowClear options={(categories.data?.items ?? []).map((category) => ({ value: category.id, label: category.name }))} />
            </Form.Item>
            <Form.Item name="itemIds" label={t('followups.rules.items')}>
              <Select
                mode="multiple"
                allowClear
                optionFilterProp="label"
                options={(services.data?.items ?? []).map((item) => ({ value: item.id, label: item.name }))}
              />
            </Form.Item>
          </>
        )}
        <Form.Item
          name="offsets"
          label={t('followups.rules.offsets')}
          extra={t('followups.rules.offsetsHelp')}
          rules={[{ required: true, message: t('followups.rules.offsets') }]}
        >
          <Input style={{ width: 240 }} />
        </Form.Item>
        <Form.Item name="assignee" label={t('followups.rules.assignee')}>
          <Radio.Group
            options={(['consultant', 'executor', 'pool'] as const)
              .filter((value) => value !== 'executor' || trigger === 'treatment')
              .map((value) => ({ value, label: t(`followups.rules.assignees.${value}`) }))}
          />
        </Form.Item>
        <Form.Item name="channel" label={t('followups.rules.channel')}>
          <Radio.Group
            optionType="button"
            options={(['call', 'wechat', 'sms'] as const).map((value) => ({ value, label: t(`followups.channels.${value}`) }))}
          />
        </Form.Item>
        <Form.Item name="script" label={t('followups.rules.script')}>
          <Input.TextArea autoSize={{ minRows: 2, maxRows: 6 }} maxLength={500} />
        </Form.Item>
        <Form.Item name="isActive" label={t('followups.rules.isActive')} valuePropName="checked">
          <Switch />
        </Form.Item>
      </Form>
    </Drawer>
  );
};

/** 回访规则: what creates follow-ups, for whom, when and with which script. */
export const FollowupRules = () => {
  const { t } = useTranslation();
  const errorMessage = useErrorMessage();
  const canManage = useCan('followups.manage');
  const rules = useFollowupRules();
  const [editing, setEditing] = useState<FollowupRule | null | undefined>(undefined);
  if (rules.isPending) return <Skeleton active paragraph={{ rows: 4 }} />;
  if (rules.isError) return <Alert type="error" showIcon title={errorMessage(rules.error)} />;
  return (
    <Flex vertical gap="middle">
      {canManage && (
        <Flex justify="flex-end">
          <Button type="primary" onClick={() => setEditing(null)}>
            {t('followups.rules.add')}
          </Button>
        </Flex>
      )}
      {rules.data.items.length === 0 && <Empty description={t('followups.rules.empty')} />}
      {rules.data.items.map((rule) => (
        <Card
          key={rule.id}
          size="small"
          title={
            <Flex gap="small" align="center">
              {rule.name}
              <Tag color={rule.isActive ? 'green' : 'default'}>{rule.isActive ? t('followups.rules.on') : t('followups.rules.off')}</Tag>
            </Flex>
          }
          extra={
            canManage && (
              <Button size="small" onClick={() => setEditing(rule)}>
                {t('followups.rules.edit')}
              </Button>
            )
          }
        >
          <Flex vertical gap={4}>
            <Typography.Text>
              {t(`followups.rules.triggers.${rule.trigger}`)} ·{' '}
              {rule.trigger === 'sleeping'
                ? t('followups.rules.every', { days: rule.offsetsDays[0] })
                : rule.offsetsDays.map((days) => t('followups.rules.days', { days })).join(t('common.listSeparator'))}{' '}
              · {t(`followups.rules.assignees.${rule.assignee}`)} · {t(`followups.channels.${rule.channel}`)}
            </Typography.Text>
            {rule.script && <Typography.Text type="secondary">{rule.script}</Typography.Text>}
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {t('followups.rules.fromDay', { date: rule.startsOn })}
            </Typography.Text>
          </Flex>
        </Card>
      ))}
      {editing !== undefined && <RuleDrawer rule={editing} onClose={() => setEditing(undefined)} />}
    </Flex>
  );
};
