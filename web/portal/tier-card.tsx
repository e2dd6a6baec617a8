import { Card, ProgressBar, Tag } from 'antd-mobile';
import { useEffect, useState } from 'react';
import { api, unwrap } from '../shared/api';
import type { paths } from '../shared/api-types';
import { formatYuan } from '../shared/money';
import { membershipTexts as texts } from './membership-texts';

type PortalMembership = paths['/api/portal/v1/membership']['get']['responses'][200]['content']['application/json'];
type Benefits = NonNullable<PortalMembership['tier']>['benefits'];

const benefitList = (benefits: Benefits, categoryNames: Record<string, string>): string[] => {
  const category = (id: string | null) => (id ? (categoryNames[id] ?? '指定项目') : '全部项目');
  const list = benefits.categoryDiscounts.map((discount) => `${category(discount.categoryId)} ${discount.basisPoints / 1000}折`);
  if (benefits.pointsBasisPoints !== 10_000) list.push(`积分 ×${benefits.pointsBasisPoints / 10_000}`);
  if (benefits.birthday?.kind === 'free_item') list.push(`生日月赠送${category(benefits.birthday.categoryId)} ×${benefits.birthday.quantity}`);
  if (benefits.birthday?.kind === 'discount') list.push(`生日月${category(benefits.birthday.categoryId)} ${benefits.birthday.basisPoints / 1000}折`);
  if (benefits.isPriorityBooking) list.push('优先预约');
  if (benefits.hasDedicatedConsultant) list.push('专属顾问');
  for (const gift of benefits.upgradeGifts) list.push(`升级礼 ${gift.name}`);
  return list;
};

/** 会员等级 card on the portal home: the tier, progress to the next one with the figures, and what the next tier unlocks. */
export const TierCard = () => {
  const [membership, setMembership] = useState<PortalMembership | undefined>();
  useEffect(() => {
    unwrap(api.GET('/api/portal/v1/membership'))
      .then(setMembership)
      .catch(() => setMembership(undefined));
  }, []);
  if (!membership?.isEnabled) return null;
  const { tier, next, categoryNames } = membership;
  const current = tier ? benefitList(tier.benefits, categoryNames) : [];
  return (
    <Card title={texts.title} className="portal-card" data-testid="portal-tier">
      <div style={{ display: 'flex', alignItems: 'baseline', justifyContent: 'space-between', gap: 8 }}>
        <div style={{ fontSize: 24, fontWeight: 600, color: 'var(--adm-color-primary)' }}>{tier?.name ?? texts.none}</div>
        {membership.periodEndsOn && <div style={{ fontSize: 12, color: '#888' }}>{texts.validUntil(membership.periodEndsOn)}</div>}
      </div>
      {tier?.description && <p style={{ margin: '6px 0', fontSize: 13, color: '#555' }}>{tier.description}</p>}
      {tier && (
        <p style={{ margin: '6px 0', fontSize: 13 }}>
          {texts.benefits}：{current.length > 0 ? current.join('、') : texts.noBenefits}
        </p>
      )}
      {membership.birthday.isAvailable && (
        <Tag color="danger" fill="outline" style={{ margin: '4px 0' }}>
          {texts.birthdayNow}
        </Tag>
      )}
      {next ? (
        <div style={{ marginTop: 10 }}>
          <div style={{ display: 'flex', justifyContent: 'space-between', fontSize: 14 }}>
            <span>{texts.next(next.tier.name)}</span>
            <span style={{ color: '#888', fontSize: 12 }}>{next.match === 'all' ? texts.nextAll : texts.nextAny}</span>
          </div>
          <ProgressBar percent={next.percent} style={{ margin: '8px 0', '--track-width': '8px' }} />
          {next.items.map((item) => (
            <div key={item.criterion} style={{ fontSize: 13, color: item.isMet ? '#00b578' : '#555' }}>
              {texts.item(texts.labels[item.criterion] ?? item.criterion, texts.value(item.criterion, item.current), texts.value(item.criterion, item.target))}
            </div>
          ))}
          <p style={{ margin: '6px 0 0', fontSize: 13 }}>
            {texts.unlocks}：{benefitList(next.tier.benefits, categoryNames).join('、') || texts.noBenefits}
          </p>
        </div>
      ) : (
        tier && <p style={{ fontSize: 13, color: '#00b578' }}>{texts.top}</p>
      )}
      {membership.pendingGifts.length > 0 && (
        <p style={{ margin: '6px 0 0', fontSize: 13 }}>
          {texts.gifts}：{membership.pendingGifts.map((gift) => `${gift.name}（${formatYuan(gift.faceValueFen)}）`).join('、')}
        </p>
      )}
      <p className="portal-note" style={{ textAlign: 'left', padding: 0, marginTop: 8 }}>
        {texts.window(membership.figures.windowMonths)}
      </p>
      {tier?.benefits.birthday && <p style={{ fontSize: 11, color: '#999', margin: '4px 0 0' }}>{texts.birthdayRule}</p>}
    </Card>
  );
};
