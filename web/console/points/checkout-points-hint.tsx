import { Alert, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { formatYuan } from '../../shared/money';
import { useCan } from '../auth/me-context';
import { useCustomerPoints, usePointsSettings } from './points-queries';

/**
 * At the desk, once a member is chosen: her usable points and what they are worth, so the cashier
 * can put an amount on the 积分抵现 payment row. The server enforces the minimum and the caps.
 */
export const CheckoutPointsHint = ({ customerId }: { customerId: string }) => {
  const { t } = useTranslation();
  const canRead = useCan('points.read');
  const points = useCustomerPoints(customerId, { enabled: canRead, alwaysFresh: true });
  const settings = usePointsSettings(canRead);
  if (!(canRead && points.data && settings.data?.isEnabled)) return null;
  const { active, pending } = points.data;
  const { redemption } = settings.data;
  if (!redemption.isEnabled) {
    return active > 0 ? <Typography.Text type="secondary">{t('points.checkout.disabled')}</Typography.Text> : null;
  }
  const worthFen = Math.floor((active * 100) / redemption.pointsPerYuan);
  return (
    <Alert
      type={active >= redemption.minimumPoints && active > 0 ? 'success' : 'info'}
      showIcon
      data-testid="checkout-points"
      title={active > 0 ? t('points.checkout.balance', { points: active.toLocaleString('en-US'), amount: formatYuan(worthFen) }) : t('points.checkout.none')}
      description={
        active > 0 || pending > 0 ? (
          <>
            {active > 0 && t('points.checkout.rate', { pointsPerYuan: redemption.pointsPerYuan, minimum: redemption.minimumPoints })}
            {pending > 0 && <div>{t('points.checkout.pending', { points: pending.toLocaleString('en-US') })}</div>}
          </>
        ) : undefined
      }
    />
  );
};
