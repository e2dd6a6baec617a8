import { useTranslation } from 'react-i18next';
import { formatTenantTime, useTenantTimezone } from '../common/tenant-time';
import type { Distribution } from './distribution-queries';

type SkipReason = keyof Distribution['skipped'];
const skipReasons: readonly SkipReason[] = ['out_of_stock', 'over_limit', 'inactive', 'ended', 'not_found'];

/** How a distribution's audience, timing and skips read in the list: 「超过 15 天未下单」, 「每月 8 日 · 下次 2026-04-08」. */
export const useDistributionText = () => {
  const { t } = useTranslation();
  const timezone = useTenantTimezone();
  const weekday = (value: number) => t(`voucherDistribution.weekdays.${String(value) as '1'}`);

  const audience = (distribution: Distribution): string => {
    switch (distribution.kind) {
      case 'registration':
        return t('voucherDistribution.audience.newCustomers');
      case 'share':
        return t('voucherDistribution.audience.inviters');
      case 'claim_link':
        return t('voucherDistribution.audience.claimers');
      default:
        break;
    }
    const value = distribution.audience;
    if (!value) return '';
    if (value.kind === 'customers') {
      return value.fromPhones
        ? t('voucherDistribution.audience.fromPhones', value.fromPhones)
        : t('voucherDistribution.audience.customers', { count: value.customerCount ?? 0 });
    }
    const filter = value.filter ?? {};
    const parts = [
      filter.noOrderDays ? t('voucherDistribution.audience.noOrderDays', { days: filter.noOrderDays }) : null,
      filter.activity?.length
        ? t('voucherDistribution.audience.activity', { list: filter.activity.map((status) => t(`dynamicTags.activity.${status}`)).join('、') })
        : null,
      filter.dealStatus ? t('voucherDistribution.audience.dealStatus', { status: t(`dynamicTags.dealStatus.${filter.dealStatus}`) }) : null,
      filter.tags?.length ? t('voucherDistribution.audience.tags', { list: filter.tags.join('、') }) : null,
    ].filter((part): part is string => part !== null);
    return parts.length > 0 ? parts.join(' · ') : t('voucherDistribution.audience.allCustomers');
  };

  const timing = (distribution: Distribution): string => {
    switch (distribution.kind) {
      case 'registration':
        return t('voucherDistribution.time.onRegistration');
      case 'share':
        return t('voucherDistribution.time.onFriendRegistration');
      case 'claim_link':
        return t('voucherDistribution.time.onClaim');
      case 'periodic': {
        const schedule = distribution.schedule;
        const every =
          schedule?.every === 'week'
            ? t('voucherDistribution.time.weekly', { weekday: weekday(schedule.weekday) })
            : t('voucherDistribution.time.monthly', { day: schedule?.every === 'month' ? schedule.day : '' });
        return distribution.nextRunOn ? `${every} · ${t('voucherDistribution.time.next', { date: distribution.nextRunOn })}` : every;
      }
      default:
        if (distribution.scheduledAt)
          return t('voucherDistribution.time.at', { time: formatTenantTime(distribution.scheduledAt, timezone, 'YYYY-MM-DD HH:mm') });
        return t('voucherDistribution.time.now');
    }
  };

  const skippedTotal = (skipped: Distribution['skipped']) => skipReasons.reduce((sum, reason) => sum + skipped[reason], 0);

  const skippedReasons = (skipped: Distribution['skipped']) =>
    skipReasons
      .filter((reason) => skipped[reason] > 0)
      .map((reason) => `${t(`voucherDistribution.skipReasons.${reason}`)} ${skipped[reason]}`)
      .join('，');

  return { audience, timing, skippedTotal, skippedReasons, weekday };
};
