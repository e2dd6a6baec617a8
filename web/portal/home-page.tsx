import { Card, List, NavBar } from 'antd-mobile';
import dayjs from 'dayjs';
import type { PortalMe, PortalPoints } from '../shared/api-models';
import { BookingEntry } from './booking-page';
import { PortalClinicLogo } from './clinic-logo';
import { InviteEntry } from './invite-page';
import { StoredValueCard } from './stored-value-card';
import { texts } from './texts';
import { TierCard } from './tier-card';
import { WalletEntry } from './wallet-page';

/** 首页: greeting, tier, vouchers, stored value, the points card (可用, 冻结中, what expires when) and the way to 积分明细; 退出登录 is under 我的. */
export const HomePage = ({
  me,
  points,
  onOpenHistory,
  onOpenWallet,
}: {
  me: PortalMe;
  points: PortalPoints | undefined;
  onOpenHistory: () => void;
  onOpenWallet: () => void;
}) => {
  const expiring = points?.expiringSoon;
  return (
    <>
      <NavBar backIcon={false}>{me.tenant.name}</NavBar>
      <PortalClinicLogo clinicCode={me.tenant.code} />
      <div className="portal-hero">
        <h1>{texts.home.greeting(me.customer.name)}</h1>
        <p>{me.customer.phone}</p>
      </div>
      <TierCard />
      <BookingEntry />
      <WalletEntry onOpen={onOpenWallet} />
      <StoredValueCard />
      <Card title={texts.home.balanceTitle} className="portal-card" data-testid="portal-points">
        <div className="portal-balance">
          <div>
            <div className="portal-balance-number">{points ? points.active.toLocaleString('en-US') : '—'}</div>
            <div className="portal-balance-label">{texts.home.active}</div>
          </div>
          <div>
            <div className="portal-balance-number portal-balance-pending">{points ? points.pending.toLocaleString('en-US') : '—'}</div>
            <div className="portal-balance-label">{texts.home.pending}</div>
          </div>
        </div>
        {expiring && (
          <p className={expiring.points > 0 ? 'portal-expiring' : 'portal-note'}>
            {expiring.points > 0 && expiring.firstAt
              ? texts.home.expiring(expiring.points, dayjs(expiring.firstAt).format('YYYY-MM-DD'))
              : texts.home.noneExpiring(expiring.withinDays)}
          </p>
        )}
        {points && points.pending > 0 && <p className="portal-note">{texts.home.pendingHelp}</p>}
      </Card>
      <List mode="card">
        <List.Item onClick={onOpenHistory} extra={points ? `${points.history.length}` : undefined}>
          {texts.home.history}
        </List.Item>
      </List>
      <InviteEntry />
      <p className="portal-note">{texts.footer}</p>
    </>
  );
};
