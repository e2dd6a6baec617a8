import { Flex, Switch, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Quote } from '../../shared/api-models';
import { formatYuan } from '../../shared/money';
import { useServerText } from '../common/server-text';
import { formatPoints } from './quote-request';

type PointsSwitchProps = {
  usable: NonNullable<Quote['usablePoints']>;
  isOn: boolean;
  onChange: (isOn: boolean) => void;
  /** The cart is being priced again: the figure may still change. */
  isPending: boolean;
};

/**
 * 使用积分抵现: one switch that pays the most the clinic's rules allow for this cart (per-order cap,
 * month cap, ratio, minimum, her balance) with points; the quote computes that figure, the
 * checkout accepts exactly it. The payment rows then take the rest.
 */
export const PointsSwitch = ({ usable, isOn, onChange, isPending }: PointsSwitchProps) => {
  const { t } = useTranslation();
  const serverText = useServerText();
  const label = t('checkout.points.switch');
  const canUse = usable.points > 0;
  const detail = canUse
    ? t('checkout.points.use', { points: formatPoints(usable.points), amount: formatYuan(usable.valueFen) })
    : usable.balancePoints > 0
      ? serverText.pricingMessage(usable.message) || t('checkout.points.noneUsable')
      : t('checkout.points.none');
  return (
    <Flex gap={8} align="flex-start" data-testid="checkout-points-switch">
      <Switch aria-label={label} checked={isOn && canUse} disabled={!canUse} onChange={onChange} style={{ marginTop: 2 }} />
      <Flex vertical style={{ minWidth: 0, opacity: isPending ? 0.5 : 1 }}>
        <Typography.Text>{label}</Typography.Text>
        <Typography.Text type={canUse ? undefined : 'secondary'} strong={isOn && canUse} style={{ fontVariantNumeric: 'tabular-nums' }}>
          {detail}
        </Typography.Text>
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {t('checkout.points.balance', { points: formatPoints(usable.balancePoints) })}
        </Typography.Text>
      </Flex>
    </Flex>
  );
};
