import { Alert, App, Button, Flex, Form, Input, Select, Skeleton, Switch, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { DealRules } from '../../shared/api-models';
import { fenToYuanText, parseYuan } from '../../shared/money';
import { useCan } from '../auth/me-context';
import { itemKinds } from '../catalog/item-kinds';
import { useErrorMessage } from '../common/error-message';
import { FormProblemAlert } from '../common/form-problem-alert';
import { type FormProblem, usePlaceServerErrors } from '../common/form-server-errors';
import { useDealRules, useOrderSettings, useSaveDealRules } from './settings-queries';

type DealRulesValues = { orderTypes: string[]; minimum: string; countedKinds: DealRules['countedKinds'] };

const maxMinimumFen = 100_000_000;

/** 成交配置 (SPEC §5): an order is a deal only if its type, its counted amount and its line kinds all qualify. */
export const DealRulesForm = () => {
  const errorMessage = useErrorMessage();
  const rules = useDealRules();
  const orderSettings = useOrderSettings();
  if (rules.isPending || orderSettings.isPending) return <Skeleton active paragraph={{ rows: 6 }} />;
  if (rules.isError) return <Alert type="error" showIcon title={errorMessage(rules.error)} />;
  const knownTypes = [...new Set([...(orderSettings.data?.orderTypes ?? []), ...rules.data.orderTypes])];
  return <DealRulesEditor rules={rules.data} orderTypes={knownTypes} />;
};

const DealRulesEditor = ({ rules, orderTypes }: { rules: DealRules; orderTypes: string[] }) => {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const canManage = useCan('settings.manage');
  const [form] = Form.useForm<DealRulesValues>();
  const [problem, setProblem] = useState<FormProblem | null>(null);
  const placeServerErrors = usePlaceServerErrors();
  const save = useSaveDealRules();

  const submit = async (values: DealRulesValues) => {
    setProblem(null);
    try {
      await save.mutateAsync({ orderTypes: values.orderTypes, minimumFen: parseYuan(values.minimum) ?? 0, countedKinds: values.countedKinds });
      void message.success(t('settings.saved'));
    } catch (error) {
      setProblem(
        placeServerErrors(form, error, {
          knownFields: [['orderTypes'], ['minimum'], ...itemKinds.map((kind) => ['countedKinds', kind])],
          rename: { minimumFen: ['minimum'] },
          failedTitle: t('settings.saveFailed'),
        }),
      );
    }
  };

  return (
    <Form<DealRulesValues>
      form={form}
      name="deal-rules"
      layout="vertical"
      disabled={!canManage}
      initialValues={{ orderTypes: rules.orderTypes, minimum: fenToYuanText(rules.minimumFen), countedKinds: rules.countedKinds }}
      onFinish={(values) => void submit(values)}
      style={{ maxWidth: 640 }}
    >
      <Alert
        type="info"
        showIcon
        title={t('settings.dealRules.allMustHold')}
        description={t('settings.dealRules.oldOrdersKept')}
        style={{ marginBottom: 16 }}
      />
      <FormProblemAlert problem={problem} />
      <Form.Item name="orderTypes" label={t('settings.dealRules.orderTypes')} extra={t('settings.dealRules.orderTypesHelp')}>
        <Select
          mode="multiple"
          allowClear
          placeholder={t('settings.dealRules.allOrderTypes')}
          options={orderTypes.map((type) => ({ value: type, label: type }))}
        />
      </Form.Item>
      <Form.Item
        name="minimum"
        label={t('settings.dealRules.minimum')}
        extra={t('settings.dealRules.minimumHelp')}
        rules={[
          { required: true, whitespace: true, message: t('settings.dealRules.minimumRequired') },
          {
            validator: async (_, value: string | undefined) => {
              if (!value || value.trim() === '') return;
              const fen = parseYuan(value);
              if (fen === undefined || fen < 0 || fen > maxMinimumFen) throw new Error(t('settings.dealRules.minimumInvalid'));
            },
          },
        ]}
      >
        <Input prefix="¥" inputMode="decimal" autoComplete="off" style={{ width: 200 }} />
      </Form.Item>
      <Form.Item label={t('settings.dealRules.countedKinds')} extra={t('settings.dealRules.countedKindsHelp')}>
        <Flex wrap gap="large">
          {itemKinds.map((kind) => (
            <Flex key={kind} gap="small" align="center">
              <Form.Item name={['countedKinds', kind]} valuePropName="checked" noStyle>
                <Switch aria-label={t(`catalog.kinds.${kind}`)} />
              </Form.Item>
              <Typography.Text>{t(`catalog.kinds.${kind}`)}</Typography.Text>
            </Flex>
          ))}
        </Flex>
      </Form.Item>
      <Typography.Paragraph type="secondary">{t('settings.dealRules.example')}</Typography.Paragraph>
      {canManage && (
        <Button type="primary" htmlType="submit" loading={save.isPending}>
          {t('common.save')}
        </Button>
      )}
    </Form>
  );
};
