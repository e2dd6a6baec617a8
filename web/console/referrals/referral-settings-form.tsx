import { DeleteOutlined, PlusOutlined, SafetyCertificateOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Col, Divider, Flex, Form, Input, InputNumber, Row, Select, Skeleton, Switch, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useCan } from '../auth/me-context';
import { useErrorMessage } from '../common/error-message';
import { FormProblemAlert } from '../common/form-problem-alert';
import { type FormProblem, usePlaceServerErrors } from '../common/form-server-errors';
import { useServerText } from '../common/server-text';
import { YuanInput } from '../payments/yuan-input';
import { type ReferralSettings, useReferralSettings, useRewardVoucherTemplates, useSaveReferralSettings } from './referral-queries';
import { type ReferralSettingsValues, toSettings, toValues } from './referral-settings-values';

/** 奖励设置: rewards (points and vouchers, never cash), window, clawback, caps, flag threshold, partner levels (SPEC §11). */
export const ReferralSettingsForm = () => {
  const errorMessage = useErrorMessage();
  const settings = useReferralSettings();
  if (settings.isPending) return <Skeleton active paragraph={{ rows: 8 }} />;
  if (settings.isError) return <Alert type="error" showIcon title={errorMessage(settings.error)} />;
  return <ReferralSettingsEditor settings={settings.data} />;
};

const VoucherPicker = ({
  value,
  onChange,
  options,
  id,
  'aria-label': ariaLabel,
}: {
  value?: string;
  onChange?: (value: string | undefined) => void;
  options: { value: string; label: string }[];
  id?: string;
  'aria-label'?: string;
}) => {
  const { t } = useTranslation();
  return (
    <Select
      id={id}
      aria-label={ariaLabel}
      allowClear
      placeholder={t('referrals.settings.noVoucher')}
      value={value}
      onChange={(next) => onChange?.(next ?? undefined)}
      options={options}
      showSearch={{ optionFilterProp: 'label' }}
      style={{ width: '100%' }}
    />
  );
};

/** A yuan amount as a form control (Form.Item passes value and onChange): fen in, fen out, blank is 0. */
const FormYuanInput = ({
  value,
  onChange,
  id,
  'aria-label': ariaLabel,
}: {
  value?: number;
  onChange?: (fen: number | undefined) => void;
  id?: string;
  'aria-label'?: string;
}) => <YuanInput id={id} aria-label={ariaLabel} value={value} onChange={(fen) => onChange?.(fen)} emptyValue={0} />;

const ReferralSettingsEditor = ({ settings }: { settings: ReferralSettings }) => {
  const { t } = useTranslation();
  const serverText = useServerText();
  const { message } = App.useApp();
  const canManage = useCan('referrals.manage');
  const canSeeVouchers = useCan('vouchers.read');
  const templates = useRewardVoucherTemplates(canSeeVouchers);
  const [form] = Form.useForm<ReferralSettingsValues>();
  const [problem, setProblem] = useState<FormProblem | null>(null);
  const placeServerErrors = usePlaceServerErrors();
  const save = useSaveReferralSettings();
  const chosen = [settings.deal.referrerVoucherTemplateId, settings.deal.referredVoucherTemplateId, settings.registration.referrerVoucherTemplateId];
  const voucherOptions = [
    ...(templates.data ?? [])
      .filter((template) => template.isActive || chosen.includes(template.id))
      .map((template) => ({ value: template.id, label: serverText.voucherTitle(template.title) })),
    // Without vouchers.read the list is not readable: keep what is set, by id.
    ...chosen
      .filter((id): id is string => Boolean(id) && !(templates.data ?? []).some((template) => template.id === id))
      .map((id) => ({ value: id, label: id })),
  ];

  const submit = async (values: ReferralSettingsValues) => {
    setProblem(null);
    try {
      const saved = await save.mutateAsync(toSettings(values));
      form.setFieldsValue(toValues(saved));
      void message.success(t('referrals.settings.saved'));
    } catch (error) {
      setProblem(
        placeServerErrors(form, error, {
          knownFields: [
            ['deal', 'points'],
            ['deal', 'referrerVoucherTemplateId'],
            ['deal', 'referredVoucherTemplateId'],
            ['arrival', 'referrerPoints'],
            ['registration', 'referrerPoints'],
            ['registration', 'referrerVoucherTemplateId'],
            ['windowDays'],
            ['monthlyRewardCap'],
            ['flagThreshold'],
            ...values.partnerLevels.flatMap((_, index) => [
              ['partnerLevels', index, 'name'],
              ['partnerLevels', index, 'minConsumptionFen'],
              ['partnerLevels', index, 'minSuccessfulReferrals'],
              ['partnerLevels', index, 'benefits'],
            ]),
          ],
          failedTitle: t('referrals.settings.saveFailed'),
        }),
      );
    }
  };

  const points = (name: [string, string], label: string, help?: string) => (
    <Form.Item name={name} label={label} extra={help} rules={[{ required: true, type: 'integer', min: 0, max: 100_000 }]}>
      <InputNumber min={0} max={100_000} step={50} precision={0} style={{ width: 180 }} addonAfter={t('referrals.settings.pointsUnit')} />
    </Form.Item>
  );

  return (
    <Form<ReferralSettingsValues>
      form={form}
      name="referral-settings"
      layout="vertical"
      disabled={!canManage}
      initialValues={toValues(settings)}
      onFinish={(values) => void submit(values)}
      style={{ maxWidth: 860 }}
    >
      <Alert
        type="info"
        showIcon
        icon={<SafetyCertificateOutlined />}
        title={t('referrals.noCash')}
        style={{ marginBottom: 16 }}
        data-testid="referral-no-cash"
      />
      <FormProblemAlert problem={problem} />
      <Form.Item name="isEnabled" label={t('referrals.settings.isEnabled')} valuePropName="checked" extra={t('referrals.settings.isEnabledHelp')}>
        <Switch />
      </Form.Item>

      <Card size="small" title={t('referrals.settings.deal')} style={{ marginBottom: 16 }}>
        {points(['deal', 'points'], t('referrals.settings.dealPoints'), t('referrals.settings.dealPointsHelp'))}
        <Row gutter={16}>
          <Col xs={24} md={12}>
            <Form.Item name={['deal', 'referrerVoucherTemplateId']} label={t('referrals.settings.referrerVoucher')}>
              <VoucherPicker options={voucherOptions} aria-label={t('referrals.settings.referrerVoucher')} />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item name={['deal', 'referredVoucherTemplateId']} label={t('referrals.settings.referredVoucher')}>
              <VoucherPicker options={voucherOptions} aria-label={t('referrals.settings.referredVoucher')} />
            </Form.Item>
          </Col>
        </Row>
      </Card>

      <Row gutter={16}>
        <Col xs={24} md={12}>
          <Card size="small" title={t('referrals.settings.arrival')} style={{ marginBottom: 16, height: 'calc(100% - 16px)' }}>
            {points(['arrival', 'referrerPoints'], t('referrals.settings.arrivalPoints'), t('referrals.settings.arrivalHelp'))}
          </Card>
        </Col>
        <Col xs={24} md={12}>
          <Card size="small" title={t('referrals.settings.registration')} style={{ marginBottom: 16 }}>
            {points(['registration', 'referrerPoints'], t('referrals.settings.registrationPoints'))}
            <Form.Item
              name={['registration', 'referrerVoucherTemplateId']}
              label={t('referrals.settings.registrationVoucher')}
              extra={t('referrals.settings.registrationHelp')}
            >
              <VoucherPicker options={voucherOptions} aria-label={t('referrals.settings.registrationVoucher')} />
            </Form.Item>
          </Card>
        </Col>
      </Row>

      <Card size="small" title={t('referrals.settings.rules')} style={{ marginBottom: 16 }}>
        <Row gutter={16}>
          <Col xs={24} md={12}>
            <Form.Item name="windowDays" label={t('referrals.settings.windowDays')} extra={t('referrals.settings.windowDaysHelp')} rules={[{ required: true }]}>
              <InputNumber min={1} max={3650} precision={0} style={{ width: 160 }} />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item
              name="isClawbackOnRefund"
              label={t('referrals.settings.isClawbackOnRefund')}
              valuePropName="checked"
              extra={t('referrals.settings.isClawbackOnRefundHelp')}
            >
              <Switch />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item
              name="monthlyRewardCap"
              label={t('referrals.settings.monthlyRewardCap')}
              extra={t('referrals.settings.monthlyRewardCapHelp')}
              rules={[{ required: true }]}
            >
              <InputNumber min={1} max={1000} precision={0} style={{ width: 160 }} />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item
              name="flagThreshold"
              label={t('referrals.settings.flagThreshold')}
              extra={t('referrals.settings.flagThresholdHelp')}
              rules={[{ required: true }]}
            >
              <InputNumber min={1} max={1000} precision={0} style={{ width: 160 }} />
            </Form.Item>
          </Col>
        </Row>
      </Card>

      <Card size="small" title={t('referrals.settings.levels')} style={{ marginBottom: 16 }}>
        <Typography.Paragraph type="secondary">{t('referrals.settings.levelsHelp')}</Typography.Paragraph>
        <Form.List name="partnerLevels">
          {(fields, { add, remove }) => (
            <Flex vertical gap="small">
              {fields.map((field, index) => (
                <div key={field.key} data-testid="partner-level-row">
                  {index > 0 && <Divider style={{ margin: '4px 0 12px' }} />}
                  <Row gutter={12} align="top">
                    <Col xs={24} md={5}>
                      <Form.Item name={[field.name, 'name']} label={t('referrals.settings.level.name')} rules={[{ required: true, whitespace: true, max: 10 }]}>
                        <Input
                          aria-label={`${t('referrals.settings.level.row', { number: index + 1 })} ${t('referrals.settings.level.name')}`}
                          maxLength={10}
                        />
                      </Form.Item>
                    </Col>
                    <Col xs={12} md={5}>
                      <Form.Item name={[field.name, 'minConsumptionFen']} label={t('referrals.settings.level.consumption')}>
                        <FormYuanInput
                          aria-label={`${t('referrals.settings.level.row', { number: index + 1 })} ${t('referrals.settings.level.consumption')}`}
                        />
                      </Form.Item>
                    </Col>
                    <Col xs={12} md={4}>
                      <Form.Item name={[field.name, 'minSuccessfulReferrals']} label={t('referrals.settings.level.referrals')} rules={[{ required: true }]}>
                        <InputNumber min={0} max={10_000} precision={0} style={{ width: '100%' }} />
                      </Form.Item>
                    </Col>
                    <Col xs={12} md={4}>
                      <Form.Item name={[field.name, 'multiplier']} label={t('referrals.settings.level.multiplier')} rules={[{ required: true }]}>
                        <InputNumber min={1} max={5} step={0.1} precision={2} prefix="×" style={{ width: '100%' }} />
                      </Form.Item>
                    </Col>
                    <Col xs={12} md={6} style={{ textAlign: 'right', paddingTop: 30 }}>
                      {canManage && fields.length > 1 && index > 0 && (
                        <Button icon={<DeleteOutlined />} danger type="text" onClick={() => remove(field.name)}>
                          {t('referrals.settings.level.remove')}
                        </Button>
                      )}
                    </Col>
                    <Col span={24}>
                      <Form.Item name={[field.name, 'benefits']} label={t('referrals.settings.level.benefits')} rules={[{ max: 200 }]}>
                        <Input.TextArea autoSize={{ minRows: 1, maxRows: 3 }} maxLength={200} />
                      </Form.Item>
                    </Col>
                  </Row>
                </div>
              ))}
              {canManage && fields.length < 10 && (
                <Button
                  icon={<PlusOutlined />}
                  onClick={() => add({ name: '', minConsumptionFen: 0, minSuccessfulReferrals: 0, multiplier: 1, benefits: '' })}
                  style={{ alignSelf: 'flex-start' }}
                >
                  {t('referrals.settings.level.add')}
                </Button>
              )}
            </Flex>
          )}
        </Form.List>
      </Card>
      {canManage && (
        <Button type="primary" htmlType="submit" loading={save.isPending}>
          {t('common.save')}
        </Button>
      )}
    </Form>
  );
};
