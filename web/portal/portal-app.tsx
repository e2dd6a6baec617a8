import { ConfigProvider, DotLoading, ErrorBlock, TabBar, Toast } from 'antd-mobile';
import zhCN from 'antd-mobile/es/locales/zh-CN';
import { AppOutline, CouponOutline, MessageOutline, UserOutline } from 'antd-mobile-icons';
import { type ReactNode, useCallback, useEffect, useState } from 'react';
import type { PortalMe, PortalPoints } from '../shared/api-models';
import { BookingPage } from './booking-page';
import { claimCodeOfPath, isClaimCentrePath } from './claim-api';
import { ClaimCentrePage, ClaimPage } from './claim-page';
import { CoursesPage } from './courses-page';
import { HistoryPage } from './history-page';
import { HomePage } from './home-page';
import { InvitePage } from './invite-page';
import { LoginPage } from './login-page';
import { MessagesPage } from './messages-page';
import { MinePage } from './mine-page';
import { OrdersPage } from './orders-page';
import { fetchMe, fetchPoints, fetchUnread, logOut, portalErrorMessage, resolveClinicCode, setUnauthorizedHandler } from './portal-api';
import { texts } from './texts';
import { WalletPage } from './wallet-page';

const pages = ['home', 'wallet', 'messages', 'mine', 'history', 'courses', 'orders', 'booking'] as const;
type Page = (typeof pages)[number];
const pageHashes: Record<Page, string> = {
  home: '',
  wallet: '#/vouchers',
  messages: '#/messages',
  mine: '#/me',
  history: '#/points',
  courses: '#/courses',
  orders: '#/orders',
  booking: '#/booking',
};
const pageOfHash = (): Page => pages.find((page) => pageHashes[page] !== '' && pageHashes[page] === window.location.hash) ?? 'home';

/** The tab bar's pages (room for 商城 later); the others open from them with a way back. */
const tabs = ['home', 'wallet', 'messages', 'mine'] as const;
type Tab = (typeof tabs)[number];
const tabIcons: Record<Tab, ReactNode> = { home: <AppOutline />, wallet: <CouponOutline />, messages: <MessageOutline />, mine: <UserOutline /> };
/** The tab a page belongs to: back from 积分明细, 我的疗程 or 我的订单 is 我的. */
const tabOf = (page: Page): Tab => (page === 'home' || page === 'wallet' || page === 'messages' ? page : page === 'booking' ? 'home' : 'mine');

/** The unread count on the 消息 tab, capped as phones do. */
const badgeOf = (unread: number) => (unread > 99 ? '99+' : String(unread));

/** The member portal (SPEC §18): SMS login, then 首页 / 券包 / 消息 / 我的 with her points, tier, vouchers, inbox, courses and orders. */
export const PortalApp = () => {
  const [clinicCode] = useState(resolveClinicCode);
  // undefined while asking the server who this is; null when nobody is logged in.
  const [me, setMe] = useState<PortalMe | null | undefined>(undefined);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [points, setPoints] = useState<PortalPoints | undefined>();
  // Her unread messages: the 消息 tab's badge.
  const [unread, setUnread] = useState(0);
  const [page, setPage] = useState<Page>(pageOfHash);
  // 邀请好友 (#/invite): opened from the home page's entry, which sets the hash itself.
  const [isInviteOpen, setIsInviteOpen] = useState(() => window.location.hash === '#/invite');
  useEffect(() => {
    const onHashChange = () => setIsInviteOpen(window.location.hash === '#/invite');
    window.addEventListener('hashchange', onHashChange);
    return () => window.removeEventListener('hashchange', onHashChange);
  }, []);
  // 领券: a claim link (/m/claim/<code>) or 领券中心 (/m/claims), shown before login too.
  const [claimCode] = useState(() => claimCodeOfPath(window.location.pathname));
  const [isClaimCentre] = useState(() => isClaimCentrePath(window.location.pathname));

  useEffect(() => {
    setUnauthorizedHandler(() => {
      setMe((current) => {
        if (current) Toast.show({ content: texts.errors.sessionExpired });
        return null;
      });
    });
    fetchMe()
      .then(setMe)
      .catch((error: unknown) => setLoadError(portalErrorMessage(error)));
    const onHashChange = () => setPage(pageOfHash());
    window.addEventListener('hashchange', onHashChange);
    return () => window.removeEventListener('hashchange', onHashChange);
  }, []);

  const loadPoints = useCallback(() => {
    fetchPoints()
      .then(setPoints)
      .catch((error: unknown) => Toast.show({ content: portalErrorMessage(error), icon: 'fail' }));
  }, []);

  useEffect(() => {
    if (me) loadPoints();
    else setPoints(undefined);
  }, [me, loadPoints]);

  // After login; 消息 refreshes it itself when it opens and after each read. A failure only leaves the badge as it was.
  useEffect(() => {
    if (!me) {
      setUnread(0);
      return;
    }
    fetchUnread()
      .then(setUnread)
      .catch(() => undefined);
  }, [me]);

  const go = (next: Page) => {
    window.location.hash = pageHashes[next];
    setPage(next);
  };

  let content: ReactNode;
  if (loadError) content = <ErrorBlock status="default" title={loadError} description={texts.errors.network} />;
  else if (me === undefined)
    content = (
      <div className="portal-loading">
        {texts.loading}
        <DotLoading />
      </div>
    );
  else if (claimCode) content = <ClaimPage code={claimCode} clinicCode={clinicCode} me={me} onLoggedIn={(session) => setMe(session)} />;
  else if (isClaimCentre) content = <ClaimCentrePage clinicCode={clinicCode} me={me} onLoggedIn={(session) => setMe(session)} />;
  else if (me === null) content = <LoginPage clinicCode={clinicCode} onLoggedIn={(session) => setMe(session)} />;
  else if (isInviteOpen)
    content = (
      <InvitePage
        onBack={() => {
          window.location.hash = '';
          setIsInviteOpen(false);
        }}
      />
    );
  else if (page === 'history') content = <HistoryPage points={points} onBack={() => go('mine')} />;
  else if (page === 'courses') content = <CoursesPage onBack={() => go('mine')} />;
  else if (page === 'orders') content = <OrdersPage onBack={() => go('mine')} />;
  else if (page === 'booking') content = <BookingPage onBack={() => go('home')} />;
  else if (page === 'wallet') content = <WalletPage />;
  else if (page === 'messages') content = <MessagesPage onUnreadChange={setUnread} />;
  else if (page === 'mine')
    content = (
      <MinePage
        me={me}
        points={points}
        onOpen={(next) => {
          if (next === 'invite') window.location.hash = '#/invite';
          else go(next);
        }}
        onLogout={async () => {
          await logOut().catch(() => undefined);
          setMe(null);
        }}
      />
    );
  else content = <HomePage me={me} points={points} onOpenHistory={() => go('history')} onOpenWallet={() => go('wallet')} />;

  const hasTabBar = Boolean(me) && !loadError && !claimCode && !isClaimCentre && !isInviteOpen;
  return (
    <ConfigProvider locale={zhCN}>
      <main className={hasTabBar ? 'portal portal-with-tabs' : 'portal'}>{content}</main>
      {hasTabBar && (
        <nav className="portal-tab-bar" aria-label={texts.title}>
          <TabBar activeKey={tabOf(page)} onChange={(key) => go(key as Tab)} safeArea>
            {tabs.map((tab) => (
              <TabBar.Item key={tab} icon={tabIcons[tab]} title={texts.tabs[tab]} badge={tab === 'messages' && unread > 0 ? badgeOf(unread) : undefined} />
            ))}
          </TabBar>
        </nav>
      )}
    </ConfigProvider>
  );
};
