import { Button, Dialog, List, NavBar, Switch, Toast } from 'antd-mobile';
import { useEffect, useState } from 'react';
import type { PortalConsents, PortalMe, PortalPoints } from '../shared/api-models';
import { fetchConsents, portalErrorMessage, saveConsents } from './portal-api';
import { texts } from './texts';

const consentChannels = ['sms', 'portal'] as const;
type ConsentChannel = (typeof consentChannels)[number];

/**
 * 消息设置: her marketing consent per channel, saved the moment she flips a switch. Saying no is
 * the same one tap as saying yes (PIPL); notices such as codes and points expiring need no consent.
 */
const ConsentSettings = () => {
  const [consents, setConsents] = useState<PortalConsents | undefined>();
  const [loadError, setLoadError] = useState<string | null>(null);
  const [saving, setSaving] = useState<ConsentChannel | null>(null);
  useEffect(() => {
    fetchConsents()
      .then(setConsents)
      .catch((caught: unknown) => setLoadError(portalErrorMessage(caught)));
  }, []);

  const toggle = async (channel: ConsentChannel, isAccepted: boolean) => {
    if (!consents || saving) return;
    setSaving(channel);
    try {
      setConsents(await saveConsents({ ...consents, [channel]: isAccepted }));
      Toast.show({ content: texts.consents.saved, icon: 'success' });
    } catch (caught) {
      Toast.show({ content: portalErrorMessage(caught), icon: 'fail' });
    } finally {
      setSaving(null);
    }
  };

  return (
    <div data-testid="portal-consents">
      <List mode="card" header={texts.consents.title}>
        {consentChannels.map((channel) => (
          <List.Item
            key={channel}
            extra={
              <Switch
                aria-label={texts.consents[channel]}
                checked={consents?.[channel] ?? false}
                disabled={!consents || saving !== null}
                loading={saving === channel}
                onChange={(isAccepted) => void toggle(channel, isAccepted)}
              />
            }
          >
            {texts.consents[channel]}
          </List.Item>
        ))}
      </List>
      <p className="portal-consent-note">{loadError ?? texts.consents.note}</p>
    </div>
  );
};

/** 我的: her courses, orders, points history and invitations, 消息设置, and 退出登录. */
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
      <ConsentSettings />
      <div style={{ padding: '0 12px' }}>
        <Button block fill="outline" onClick={() => void confirmLogout()}>
          {texts.home.logout}
        </Button>
      </div>
      <p className="portal-note">{texts.footer}</p>
    </div>
  );
};
