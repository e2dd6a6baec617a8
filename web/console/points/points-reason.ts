import { useTranslation } from 'react-i18next';
import type { PointsEntry } from '../../shared/api-models';
import { formatYuan } from '../../shared/money';
import { useServerText } from '../common/server-text';
import { formatTenantTime, useTenantTimezone } from '../common/tenant-time';

const knownRules = ['order', 'event', 'manual', 'redemption', 'refund', 'payment_reversal', 'refund_points_payout', 'expiry'] as const;
type KnownRule = (typeof knownRules)[number];
const isKnownRule = (value: unknown): value is KnownRule => knownRules.some((rule) => rule === value);

const text = (value: unknown): string | undefined => (typeof value === 'string' && value.trim() !== '' ? value : undefined);
const count = (value: unknown): number | undefined => (typeof value === 'number' && Number.isFinite(value) ? value : undefined);

/**
 * An entry's reason as lines a person reads: the server's explanation lines for earned points
 * ("双眼皮：基础 6800 × 会员日 2 = 13600 积分"), the event's label, the note of a manual adjustment,
 * or a sentence for redemptions, refunds and expiry.
 */
export const usePointsReason = () => {
  const { t } = useTranslation();
  const serverText = useServerText();
  const timezoneName = useTenantTimezone();
  const ruleLabel = (reason: PointsEntry['reason']): string | undefined => {
    const rule = reason.rule;
    if (isKnownRule(rule)) return t(`points.rules.${rule}`);
    return text(rule);
  };
  const lines = (reason: PointsEntry['reason']): string[] => {
    const result: string[] = [];
    if (Array.isArray(reason.explanation))
      result.push(...reason.explanation.filter((line): line is string => typeof line === 'string').map(serverText.pointsReason));
    const label = text(reason.label);
    if (label && result.length === 0) result.push(label);
    const note = text(reason.note);
    if (note) result.push(reason.rule === 'manual' ? note : t('points.reasonText.note', { note }));
    const amountFen = count(reason.amountFen);
    if (reason.rule === 'redemption' && amountFen !== undefined) {
      result.push(t('points.reasonText.redemption', { amount: formatYuan(amountFen), pointsPerYuan: count(reason.pointsPerYuan) ?? '—' }));
    }
    const refundFen = count(reason.refundFen);
    if (reason.rule === 'refund' && refundFen !== undefined) {
      result.push(t('points.reasonText.refund', { amount: formatYuan(refundFen), total: formatYuan(count(reason.totalFen) ?? 0) }));
    }
    const expiresAt = text(reason.expiresAt);
    if (reason.rule === 'expiry' && expiresAt) result.push(t('points.reasonText.expiry', { date: formatTenantTime(expiresAt, timezoneName, 'YYYY-MM-DD') }));
    return result;
  };
  return { ruleLabel, lines };
};
