import { Alert, Card, DatePicker, Flex, Form, Input, InputNumber, Select, Spin, Tag, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { PointsPreviewInput, PointsSettingsInput } from '../../shared/api-models';
import { parseYuan } from '../../shared/money';
import { ItemSearchSelect } from '../catalog/item-search-select';
import { useErrorMessage } from '../common/error-message';
import { useServerText } from '../common/server-text';
import { tenantToday, useTenantTimezone } from '../common/tenant-time';
import { useDebouncedValue } from '../common/use-debounced-value';
import { usePaymentMethodLabel } from '../payments/payment-methods';
import { usePointsPreview } from './points-queries';
import { toBasisPoints } from './points-settings-values';

/** The tier the preview pretends the member has; tier multipliers are keyed by tier id. */
const previewTierId = 'preview-tier';

/**
 * 实时预览: what an order would earn under the form's current, unsaved rules, with the server's
 * own explanation ("基础 3000 × 等级（铂金） 1.5 × 会员日 2 = 9000 积分").
 */
export const PointsPreviewPanel = ({ settings }: { settings: PointsSettingsInput | undefined }) => {
  const { t } = useTranslation();
  const serverText = useServerText();
  const errorMessage = useErrorMessage();
  const timezoneName = useTenantTimezone();
  const methodLabel = usePaymentMethodLabel();
  const [amountText, setAmountText] = useState('3000');
  const [method, setMethod] = useState('wechat');
  const [date, setDate] = useState<Dayjs | null>(() => dayjs(tenantToday(timezoneName)));
  const [tierName, setTierName] = useState('');
  const [tierMultiplier, setTierMultiplier] = useState<number | null>(1);
  const [itemId, setItemId] = useState<string | undefined>();

  const amountFen = parseYuan(amountText);
  const methods = Object.keys(settings?.earning.pointsPerYuan ?? { wechat: 1 });
  const trimmedTier = tierName.trim();
  const input: PointsPreviewInput | undefined =
    settings && amountFen !== undefined && amountFen > 0 && date
      ? {
          amountFen,
          method,
          date: date.format('YYYY-MM-DD'),
          ...(itemId ? { itemId } : {}),
          ...(trimmedTier
            ? {
                tierId: previewTierId,
                tierName: trimmedTier,
                settings: {
                  ...settings,
                  earning: {
                    ...settings.earning,
                    tierBasisPoints: { ...settings.earning.tierBasisPoints, [previewTierId]: toBasisPoints(tierMultiplier ?? 1) },
                  },
                },
              }
            : { settings }),
        }
      : undefined;
  // Typing in the settings form should not fire a request per keystroke.
  const debounced = useDebouncedValue(input ? JSON.stringify(input) : '', 300);
  const preview = usePointsPreview(debounced ? (JSON.parse(debounced) as PointsPreviewInput) : undefined);

  return (
    <Card title={t('points.preview.title')} size="small" data-testid="points-preview">
      <Typography.Paragraph type="secondary" style={{ fontSize: 12 }}>
        {t('points.preview.help')}
      </Typography.Paragraph>
      <Form layout="vertical" component="div" size="small">
        <Flex gap="small">
          <Form.Item label={t('points.preview.amount')} htmlFor="points-preview-amount" style={{ flex: 1 }}>
            <Input id="points-preview-amount" value={amountText} onChange={(event) => setAmountText(event.target.value)} prefix="¥" />
          </Form.Item>
          <Form.Item label={t('points.preview.method')} htmlFor="points-preview-method" style={{ flex: 1 }}>
            <Select id="points-preview-method" value={method} onChange={setMethod} options={methods.map((value) => ({ value, label: methodLabel(value) }))} />
          </Form.Item>
        </Flex>
        <Form.Item label={t('points.preview.date')} htmlFor="points-preview-date">
          <DatePicker id="points-preview-date" value={date} onChange={setDate} allowClear={false} style={{ width: '100%' }} />
        </Form.Item>
        <Form.Item label={t('points.preview.item')} htmlFor="points-preview-item" extra={t('points.preview.itemHelp')}>
          <ItemSearchSelect
            id="points-preview-item"
            value={itemId}
            onChange={setItemId}
            placeholder={t('points.preview.itemPlaceholder')}
            style={{ width: '100%' }}
          />
        </Form.Item>
        <Flex gap="small">
          <Form.Item label={t('points.preview.tierName')} htmlFor="points-preview-tier" style={{ flex: 1 }}>
            <Input
              id="points-preview-tier"
              value={tierName}
              placeholder={t('points.preview.tierNamePlaceholder')}
              onChange={(event) => setTierName(event.target.value)}
            />
          </Form.Item>
          <Form.Item label={t('points.preview.tierMultiplier')} htmlFor="points-preview-tier-multiplier" style={{ flex: 1 }}>
            <InputNumber
              id="points-preview-tier-multiplier"
              value={tierMultiplier}
              onChange={setTierMultiplier}
              min={0}
              max={10}
              step={0.1}
              precision={2}
              prefix="×"
              disabled={!trimmedTier}
              style={{ width: '100%' }}
            />
          </Form.Item>
        </Flex>
      </Form>
      {!input ? (
        <Alert type="info" showIcon title={t('points.preview.invalid')} />
      ) : preview.isError ? (
        <Alert type="error" showIcon title={t('points.preview.failed', { message: errorMessage(preview.error) })} />
      ) : (
        <Spin spinning={preview.isFetching || debounced !== JSON.stringify(input)}>
          <Flex vertical gap={4} data-testid="points-preview-result">
            <Flex align="baseline" gap="small">
              <Typography.Text strong style={{ fontSize: 22, fontVariantNumeric: 'tabular-nums' }}>
                {preview.data ? t('points.preview.result', { points: preview.data.points.toLocaleString('en-US') }) : '—'}
              </Typography.Text>
              {preview.data?.isHoliday && <Tag color="red">{t('points.preview.holiday')}</Tag>}
            </Flex>
            {preview.data?.reasons.map((reason) => (
              <Typography.Text key={reason} type="secondary">
                {serverText.pointsReason(reason)}
              </Typography.Text>
            ))}
          </Flex>
        </Spin>
      )}
    </Card>
  );
};
