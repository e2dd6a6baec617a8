import { Alert, App, Button, Flex, Form, Radio, Skeleton, Switch, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { PricingSettings } from '../../shared/api-models';
import { useCan } from '../auth/me-context';
import { useErrorMessage } from '../common/error-message';
import { FormProblemAlert } from '../common/form-problem-alert';
import { type FormProblem, usePlaceServerErrors } from '../common/form-server-errors';
import { usePricingSettings, useSavePricingSettings } from './settings-queries';

const applicationOrders = ['vouchers_then_discount', 'discount_then_vouchers'] as const satisfies readonly PricingSettings['applicationOrder'][];
const percentageBases = ['current', 'list'] as const satisfies readonly PricingSettings['percentageBase'][];
const tiersWithCard = ['best_of', 'multiply'] as const satisfies readonly PricingSettings['tierWithCard'][];

/** An option with its worked example underneath, so the manager sees what each choice does to a ¥400 filling. */
const Choice = ({ label, example }: { label: string; example: string }) => (
  <Flex vertical>
    <span>{label}</span>
    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
      {example}
    </Typography.Text>
  </Flex>
);

/** 开单定价: the order offers apply in, the base of percentages, tier with card, and what combines (SPEC §8). */
export const PricingSettingsForm = () => {
  const errorMessage = useErrorMessage();
  const settings = usePricingSettings();
  if (settings.isPending) return <Skeleton active paragraph={{ rows: 6 }} />;
  if (settings.isError) return <Alert type="error" showIcon title={errorMessage(settings.error)} />;
  return <PricingSettingsEditor settings={settings.data} />;
};

const PricingSettingsEditor = ({ settings }: { settings: PricingSettings }) => {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const canManage = useCan('settings.manage');
  const [form] = Form.useForm<PricingSettings>();
  const [problem, setProblem] = useState<FormProblem | null>(null);
  const placeServerErrors = usePlaceServerErrors();
  const save = useSavePricingSettings();

  const submit = async (values: PricingSettings) => {
    setProblem(null);
    try {
      await save.mutateAsync(values);
      void message.success(t('settings.saved'));
    } catch (error) {
      setProblem(
        placeServerErrors(form, error, {
          knownFields: [['applicationOrder'], ['percentageBase'], ['tierWithCard'], ['vouchersWithDiscounts'], ['pointsWithVouchers']],
          failedTitle: t('settings.saveFailed'),
        }),
      );
    }
  };

  return (
    <Form<PricingSettings>
      form={form}
      name="pricing-settings"
      layout="vertical"
      disabled={!canManage}
      initialValues={settings}
      onFinish={(values) => void submit(values)}
      style={{ maxWidth: 640 }}
    >
      <Typography.Paragraph type="secondary">{t('pricing.settings.intro')}</Typography.Paragraph>
      <FormProblemAlert problem={problem} />
      <Form.Item name="applicationOrder" label={t('pricing.settings.applicationOrder')}>
        <Radio.Group
          style={{ display: 'flex', flexDirection: 'column', gap: 8 }}
          options={applicationOrders.map((value) => ({
            value,
            label: <Choice label={t(`pricing.settings.applicationOrders.${value}`)} example={t(`pricing.settings.applicationOrderHelp.${value}`)} />,
          }))}
        />
      </Form.Item>
      <Form.Item name="percentageBase" label={t('pricing.settings.percentageBase')}>
        <Radio.Group
          style={{ display: 'flex', flexDirection: 'column', gap: 8 }}
          options={percentageBases.map((value) => ({
            value,
            label: <Choice label={t(`pricing.settings.percentageBases.${value}`)} example={t(`pricing.settings.percentageBaseHelp.${value}`)} />,
          }))}
        />
      </Form.Item>
      <Form.Item name="tierWithCard" label={t('pricing.settings.tierWithCard')}>
        <Radio.Group
          style={{ display: 'flex', flexDirection: 'column', gap: 8 }}
          options={tiersWithCard.map((value) => ({
            value,
            label: <Choice label={t(`pricing.settings.tiersWithCard.${value}`)} example={t(`pricing.settings.tierWithCardHelp.${value}`)} />,
          }))}
        />
      </Form.Item>
      <Form.Item
        name="vouchersWithDiscounts"
        label={t('pricing.settings.vouchersWithDiscounts')}
        valuePropName="checked"
        extra={t('pricing.settings.vouchersWithDiscountsHelp')}
      >
        <Switch />
      </Form.Item>
      <Form.Item
        name="pointsWithVouchers"
        label={t('pricing.settings.pointsWithVouchers')}
        valuePropName="checked"
        extra={t('pricing.settings.pointsWithVouchersHelp')}
      >
        <Switch />
      </Form.Item>
      {canManage && (
        <Button type="primary" htmlType="submit" loading={save.isPending}>
          {t('common.save')}
        </Button>
      )}
    </Form>
  );
};
