import { Alert, App, Button, Card, Checkbox, Divider, Flex, Form, InputNumber, Radio, Select, Skeleton, Switch, Table, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { PointsSettings, PointsSettingsInput } from '../../shared/api-models';
import { formatYuan } from '../../shared/money';
import { useCan } from '../auth/me-context';
import { useErrorMessage } from '../common/error-message';
import { FormProblemAlert } from '../common/form-problem-alert';
import { type FormProblem, usePlaceServerErrors } from '../common/form-server-errors';
import { usePaymentMethodLabel } from '../payments/payment-methods';
import { HolidayCalendarSection } from './holiday-calendar';
import { PointsPreviewPanel } from './points-preview-panel';
import { usePointsImpact, usePointsSettings, useSavePointsSettings } from './points-queries';
import { CampaignsField, ExcludedCategoriesField, ItemMultipliersField, ReminderDaysField, WeekdayMultipliersField } from './points-rule-fields';
import { itemKinds, maxReminderDays, type PointsSettingsValues, toMultiplier, toSettings, toValues } from './points-settings-values';

/**
 * 积分设置 (SPEC §6): earning (base rates; member day, holiday, weekday, campaign and item
 * multipliers), pending days, expiry and its reminders, redemption and interaction points.
 */
export const PointsSettingsForm = () => {
  const errorMessage = useErrorMessage();
  const settings = usePointsSettings();
  if (settings.isPending) return <Skeleton active paragraph={{ rows: 8 }} />;
  if (settings.isError) return <Alert type="error" showIcon title={errorMessage(settings.error)} />;
  return <PointsSettingsEditor settings={settings.data} />;
};

const PointsSettingsEditor = ({ settings }: { settings: PointsSettings }) => {
  const { t } = useTranslation();
  const { message, modal } = App.useApp();
  const canManage = useCan('settings.manage');
  const methodLabel = usePaymentMethodLabel();
  const [form] = Form.useForm<PointsSettingsValues>();
  const [problem, setProblem] = useState<FormProblem | null>(null);
  const placeServerErrors = usePlaceServerErrors();
  const errorMessage = useErrorMessage();
  const save = useSavePointsSettings();
  const impact = usePointsImpact();
  const watched = Form.useWatch((values: PointsSettingsValues) => values, { form, preserve: true });
  const current =
    watched && Object.keys(watched).length > 0 ? toSettings({ ...toValues(settings), ...watched }, settings) : toSettings(toValues(settings), settings);
  const memberDayEnabled = Form.useWatch('memberDayEnabled', form) ?? settings.earning.memberDay !== null;
  const holidayEnabled = Form.useWatch('holidayEnabled', form) ?? settings.earning.holidayBasisPoints !== null;
  const expiryMode = Form.useWatch('expiryMode', form) ?? settings.expiry.mode;
  const capKind = Form.useWatch('capKind', form) ?? settings.redemption.perOrderCap.kind;
  const tierEntries = Object.entries(settings.earning.tierBasisPoints);

  const fail = (error: unknown) =>
    setProblem(
      placeServerErrors(form, error, { knownFields: [], failedTitle: t('points.settings.saveFailed') }) ?? { title: errorMessage(error), messages: [] },
    );

  const doSave = async (body: PointsSettingsInput) => {
    try {
      const saved = await save.mutateAsync(body);
      form.setFieldsValue(toValues(saved));
      void message.success(t('points.settings.saved'));
    } catch (error) {
      fail(error);
    }
  };

  const submit = async (values: PointsSettingsValues) => {
    setProblem(null);
    const body = toSettings(values, settings);
    try {
      const result = await impact.mutateAsync(body);
      if (!result.isWarning) {
        await doSave(body);
        return;
      }
      modal.confirm({
        title: t('points.settings.impactTitle'),
        content: t('points.settings.impactBody', {
          days: result.days,
          payments: result.payments,
          current: result.currentPoints.toLocaleString('en-US'),
          proposed: result.proposedPoints.toLocaleString('en-US'),
          change: `${result.changePercent > 0 ? '+' : ''}${result.changePercent}%`,
          liability: formatYuan(result.proposedLiabilityFen),
          warning: result.warningPercent,
        }),
        okText: t('points.settings.impactConfirm'),
        width: 520,
        onOk: () => doSave(body),
      });
    } catch (error) {
      fail(error);
    }
  };

  const eventKeys = Object.keys(settings.events);
  const eventLabel = (key: string) => {
    const known = ['registration', 'survey', 'diary_share', 'referral', 'skin_check', 'post_op_care', 'birthday'] as const;
    const match = known.find((candidate) => candidate === key);
    return match ? t(`points.settings.events.${match}`) : key;
  };
  const required = [{ required: true, message: t('points.settings.required') }];

  return (
    <Flex gap={24} wrap align="flex-start">
      <div style={{ flex: '1 1 560px', minWidth: 0, maxWidth: 760 }}>
        <Form<PointsSettingsValues>
          form={form}
          name="points-settings"
          layout="vertical"
          disabled={!canManage}
          initialValues={toValues(settings)}
          onFinish={(values) => void submit(values)}
        >
          <FormProblemAlert problem={problem} />
          <Form.Item name="isEnabled" label={t('points.settings.enabled')} valuePropName="checked">
            <Switch />
          </Form.Item>

          <Divider titlePlacement="start">{t('points.settings.earningTitle')}</Divider>
          <Form.Item label={t('points.settings.pointsPerYuan')} extra={t('points.settings.pointsPerYuanHelp')}>
            <Flex gap="middle" wrap>
              {Object.keys(settings.earning.pointsPerYuan).map((method) => (
                <Form.Item key={method} name={['pointsPerYuan', method]} label={methodLabel(method)} rules={required} style={{ marginBottom: 0 }}>
                  <InputNumber min={0} max={1000} precision={0} style={{ width: 110 }} />
                </Form.Item>
              ))}
            </Flex>
          </Form.Item>
          <Form.Item label={t('points.settings.memberDay')}>
            <Flex gap="middle" align="flex-end" wrap>
              <Form.Item name="memberDayEnabled" valuePropName="checked" style={{ marginBottom: 0 }}>
                <Switch aria-label={t('points.settings.memberDayEnabled')} />
              </Form.Item>
              <Form.Item name="memberDayOfMonth" label={t('points.settings.dayOfMonth')} style={{ marginBottom: 0 }}>
                <InputNumber min={1} max={28} precision={0} disabled={!canManage || !memberDayEnabled} style={{ width: 110 }} />
              </Form.Item>
              <Form.Item name="memberDayMultiplier" label={t('points.settings.multiplier')} htmlFor="points-member-day-multiplier" style={{ marginBottom: 0 }}>
                <InputNumber
                  id="points-member-day-multiplier"
                  min={0}
                  max={10}
                  step={0.1}
                  precision={2}
                  prefix="×"
                  disabled={!canManage || !memberDayEnabled}
                  style={{ width: 140 }}
                />
              </Form.Item>
            </Flex>
          </Form.Item>
          <Form.Item label={t('points.settings.holiday')}>
            <Flex gap="middle" align="center">
              <Form.Item name="holidayEnabled" valuePropName="checked" style={{ marginBottom: 0 }}>
                <Switch aria-label={t('points.settings.holidayEnabled')} />
              </Form.Item>
              <Form.Item name="holidayMultiplier" style={{ marginBottom: 0 }}>
                <InputNumber
                  aria-label={t('points.settings.holiday')}
                  min={0}
                  max={10}
                  step={0.1}
                  precision={2}
                  prefix="×"
                  disabled={!canManage || !holidayEnabled}
                  style={{ width: 140 }}
                />
              </Form.Item>
            </Flex>
          </Form.Item>
          <WeekdayMultipliersField />
          <CampaignsField disabled={!canManage} />
          <ItemMultipliersField form={form} disabled={!canManage} />
          <Form.Item name="stacking" label={t('points.settings.stacking')}>
            <Radio.Group
              options={[
                { value: 'multiply', label: t('points.settings.stackingOptions.multiply') },
                { value: 'best', label: t('points.settings.stackingOptions.best') },
              ]}
            />
          </Form.Item>
          <Form.Item label={t('points.settings.tierMultipliers')}>
            <Typography.Text type="secondary">
              {tierEntries.length === 0
                ? t('points.settings.tierMultipliersNone')
                : tierEntries.map(([tier, basisPoints]) => `${tier} ×${toMultiplier(basisPoints)}`).join('，')}
            </Typography.Text>
          </Form.Item>
          <Form.Item name="pendingDays" label={t('points.settings.pendingDays')} extra={t('points.settings.pendingDaysHelp')} rules={required}>
            <InputNumber min={0} max={365} precision={0} suffix={t('settings.days')} style={{ width: 160 }} />
          </Form.Item>

          <Divider titlePlacement="start">{t('points.settings.expiryTitle')}</Divider>
          <Flex gap="middle" align="flex-start" wrap>
            <Form.Item name="expiryMode" label={t('points.settings.expiryMode')}>
              <Select
                style={{ width: 240 }}
                options={(['rolling', 'calendar', 'never'] as const).map((mode) => ({ value: mode, label: t(`points.settings.expiryModes.${mode}`) }))}
              />
            </Form.Item>
            <Form.Item
              name="expiryMonths"
              label={t('points.settings.months')}
              hidden={expiryMode !== 'rolling'}
              rules={expiryMode === 'rolling' ? required : []}
            >
              <InputNumber min={1} max={120} precision={0} style={{ width: 120 }} />
            </Form.Item>
            <Form.Item
              name="expiryYearsAfter"
              label={t('points.settings.yearsAfter')}
              hidden={expiryMode !== 'calendar'}
              rules={expiryMode === 'calendar' ? required : []}
            >
              <InputNumber min={0} max={10} precision={0} style={{ width: 120 }} />
            </Form.Item>
          </Flex>
          <ReminderDaysField disabled={!canManage} max={maxReminderDays} />

          <Divider titlePlacement="start">{t('points.settings.redemptionTitle')}</Divider>
          <Form.Item name="redemptionEnabled" label={t('points.settings.redemptionEnabled')} valuePropName="checked">
            <Switch />
          </Form.Item>
          <Flex gap="middle" wrap>
            <Form.Item name="redemptionPointsPerYuan" label={t('points.settings.redemptionPointsPerYuan')} rules={required}>
              <InputNumber min={1} max={100_000} precision={0} style={{ width: 160 }} />
            </Form.Item>
            <Form.Item name="minimumPoints" label={t('points.settings.minimumPoints')} rules={required}>
              <InputNumber min={0} max={1_000_000} precision={0} style={{ width: 160 }} />
            </Form.Item>
          </Flex>
          <Flex gap="middle" align="flex-start" wrap>
            <Form.Item name="capKind" label={t('points.settings.perOrderCap')}>
              <Radio.Group
                options={[
                  { value: 'percent', label: t('points.settings.capKinds.percent') },
                  { value: 'amount', label: t('points.settings.capKinds.amount') },
                ]}
              />
            </Form.Item>
            <Form.Item name="capPercent" label={t('points.settings.capPercent')} hidden={capKind !== 'percent'} rules={capKind === 'percent' ? required : []}>
              <InputNumber min={0} max={100} precision={0} suffix="%" style={{ width: 120 }} />
            </Form.Item>
            <Form.Item name="capAmountYuan" label={t('points.settings.capAmount')} hidden={capKind !== 'amount'} rules={capKind === 'amount' ? required : []}>
              <InputNumber min={0} precision={2} prefix="¥" style={{ width: 160 }} />
            </Form.Item>
          </Flex>
          <Form.Item name="excludedKinds" label={t('points.settings.excludedKinds')}>
            <Checkbox.Group options={itemKinds.map((kind) => ({ value: kind, label: t(`points.settings.kinds.${kind}`) }))} />
          </Form.Item>
          <ExcludedCategoriesField />
          <Form.Item name="monthlyCapPercent" label={t('points.settings.monthlyCap')} extra={t('points.settings.monthlyCapHelp')}>
            <InputNumber min={0} max={100} precision={0} suffix="%" style={{ width: 120 }} />
          </Form.Item>

          <Divider titlePlacement="start">{t('points.settings.eventsTitle')}</Divider>
          <Table
            size="small"
            rowKey={(key) => key}
            pagination={false}
            dataSource={eventKeys}
            style={{ marginBottom: 24 }}
            columns={[
              { key: 'event', title: '', render: (_, key) => eventLabel(key) },
              ...(['points', 'perDay', 'perMonth'] as const).map((field) => ({
                key: field,
                title: t(field === 'points' ? 'points.settings.eventPoints' : `points.settings.${field}`),
                render: (_: unknown, key: string) => (
                  <Form.Item name={['events', key, field]} rules={required} style={{ marginBottom: 0 }}>
                    <InputNumber
                      aria-label={`${eventLabel(key)} ${field}`}
                      min={0}
                      max={field === 'points' ? 100_000 : 1000}
                      precision={0}
                      style={{ width: 110 }}
                    />
                  </Form.Item>
                ),
              })),
            ]}
          />
          {canManage && (
            <Button type="primary" htmlType="submit" loading={impact.isPending || save.isPending}>
              {t('common.save')}
            </Button>
          )}
        </Form>
        <HolidayCalendarSection />
      </div>
      <div style={{ flex: '0 1 380px', minWidth: 320, position: 'sticky', top: 16 }}>
        <Card size="small" variant="borderless" styles={{ body: { padding: 0 } }}>
          <PointsPreviewPanel settings={current} />
        </Card>
      </div>
    </Flex>
  );
};
