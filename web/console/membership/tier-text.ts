import { useTranslation } from 'react-i18next';
import { formatYuan } from '../../shared/money';
import type { Tier, TierBenefits, TierCriteria } from './membership-queries';

const zhe = (basisPoints: number) => String(basisPoints / 1000);
const percent = (basisPoints: number) => String(basisPoints / 100);
const multiplier = (basisPoints: number) => String(basisPoints / 10_000);

/** Criteria and benefits as a clinic reads them: 成长值 ≥ 5,000, 光子嫩肤 8折, 积分 ×1.5 … */
export const useTierText = (categoryNames: Record<string, string>) => {
  const { t } = useTranslation();
  const categoryName = (id: string | null) => (id ? (categoryNames[id] ?? '—') : t('membership.benefits.allCategories'));
  const criteria = (value: TierCriteria): string => {
    const parts = [
      value.growth !== null ? t('membership.criteria.growth', { value: value.growth.toLocaleString('en-US') }) : null,
      value.consumptionFen !== null ? t('membership.criteria.consumptionFen', { value: formatYuan(value.consumptionFen) }) : null,
      value.visits !== null ? t('membership.criteria.visits', { value: value.visits }) : null,
      value.topUpFen !== null ? t('membership.criteria.topUpFen', { value: formatYuan(value.topUpFen) }) : null,
    ].filter((part): part is string => part !== null);
    if (parts.length === 0) return t('membership.criteria.none');
    return parts.length === 1 ? (parts[0] ?? '') : `${t(`membership.criteria.${value.match}`)}${t('common.colon')}${parts.join(t('common.clauseSeparator'))}`;
  };
  const benefits = (value: TierBenefits): string[] => {
    const list: string[] = value.categoryDiscounts.map((discount) =>
      t('membership.benefits.discount', {
        category: categoryName(discount.categoryId),
        zhe: zhe(discount.basisPoints),
        percent: percent(discount.basisPoints),
      }),
    );
    if (value.pointsBasisPoints !== 10_000) list.push(t('membership.benefits.points', { multiplier: multiplier(value.pointsBasisPoints) }));
    if (value.birthday?.kind === 'free_item')
      list.push(t('membership.benefits.birthdayFree', { category: categoryName(value.birthday.categoryId), quantity: value.birthday.quantity }));
    if (value.birthday?.kind === 'discount')
      list.push(
        t('membership.benefits.birthdayDiscount', {
          category: categoryName(value.birthday.categoryId),
          zhe: zhe(value.birthday.basisPoints),
          percent: percent(value.birthday.basisPoints),
        }),
      );
    if (value.isPriorityBooking) list.push(t('membership.benefits.priority'));
    if (value.hasDedicatedConsultant) list.push(t('membership.benefits.consultant'));
    for (const gift of value.upgradeGifts)
      list.push(t('membership.benefits.gift', { name: gift.name, value: formatYuan(gift.faceValueFen), quantity: gift.quantity }));
    return list;
  };
  const birthdayBenefit = (value: TierBenefits['birthday']): string =>
    value?.kind === 'free_item'
      ? t('membership.benefits.birthdayFree', { category: categoryName(value.categoryId), quantity: value.quantity })
      : value?.kind === 'discount'
        ? t('membership.benefits.birthdayDiscount', {
            category: categoryName(value.categoryId),
            zhe: zhe(value.basisPoints),
            percent: percent(value.basisPoints),
          })
        : t('membership.benefits.none');
  return { criteria, benefits, birthdayBenefit, retention: (tier: Pick<Tier, 'retention'>) => t(`membership.retention.${tier.retention}`) };
};
