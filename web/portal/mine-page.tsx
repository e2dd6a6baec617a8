import { Button, Dialog, List, NavBar, Toast } from 'antd-mobile';
import type { PortalMe, PortalPoints } from '../shared/api-models';
import { texts } from './texts';

/** 我的: her courses, orders, points history and invitations, and 退出登录. */
export const MinePage = ({
  me,
  points,
  onOpen,
  onLogout,
}: {
  me: PortalMe;
  points: PortalPoints | undefined;
  onOpen: (page: 'booking' | 'courses' | 'orders' | 'history' | 'invite') => void;
  onLogout: () => Promise<void>;
}) => {
  const confirmLogout = async () => {
    const confirmed = await Dialog.confirm({ content: texts.home.logoutConfirm });
    if (!confirmed) return;
    await onLogout();
    Toast.show({ content: texts.home.loggedOut });
  };
  return (
    <div data-testid="portal-mine">
      <NavBar backIcon={false}>{texts.tabs.mine}</NavBar>
      <div className="portal-hero">
        <h1>{me.customer.name}</h1>
        <p>{me.customer.phone}</p>
      </div>
      <List mode="card">
        <List.Item onClick={() => onOpen('booking')}>{texts.mine.booking}</List.Item>
        <List.Item onClick={() => onOpen('courses')}>{texts.mine.courses}</List.Item>
        <List.Item onClick={() => onOpen('orders')}>{texts.mine.orders}</List.Item>
        <List.Item onClick={() => onOpen('history')} extra={points ? `${points.history.length}` : undefined}>
          {texts.home.history}
        </List.Item>
        <List.Item onClick={() => onOpen('invite')}>{texts.mine.invite}</List.Item>
      </List>
      <div style={{ padding: '0 12px' }}>
        <Button block fill="outline" onClick={() => void confirmLogout()}>
          {texts.home.logout}
        </Button>
      </div>
      <p className="portal-note">{texts.footer}</p>
    </div>
  );
};
