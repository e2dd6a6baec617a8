import { Button, Dialog, List, NavBar, Switch, Toast } from 'antd-mobile';
import { useEffect, useState } from 'react';
import type { PortalConsents, PortalMe, PortalPoints, PortalWechatBinding } from '../shared/api-models';
import { fetchConsents, fetchWechatBinding, portalErrorMessage, saveConsents, startWechatBinding, unbindWechat } from './portal-api';
import { texts } from './texts';

const consentChannels = ['sms', 'portal', 'wechat'] as const;
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

/**
 * 绑定微信: shown when the clinic has an official account. Binding goes to WeChat's authorisation and
 * comes back here with ?wechat=<how it went>, said once and then taken out of the address.
 */
const WechatBinding = () => {
  const [binding, setBinding] = useState<PortalWechatBinding | undefined>();
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    const params = new URLSearchParams(window.location.search);
    const outcome = params.get('wechat');
    if (outcome) {
      Toast.show({ content: texts.wechat.outcomes[outcome] ?? texts.wechat.outcomes.WECHAT_AUTH_FAILED, icon: outcome === 'bound' ? 'success' : 'fail' });
      params.delete('wechat');
      const query = params.toString();
      window.history.replaceState(null, '', `${window.location.pathname}${query ? `?${query}` : ''}${window.location.hash}`);
    }
    fetchWechatBinding()
      .then(setBinding)
      .catch(() => setBinding(undefined));
  }, []);
  if (!binding?.isAvailable) return null;

  const bind = async () => {
    setBusy(true);
    try {
      window.location.assign(await startWechatBinding());
    } catch (caught) {
      Toast.show({ content: portalErrorMessage(caught), icon: 'fail' });
      setBusy(false);
    }
  };
  const unbind = async () => {
    if (!(await Dialog.confirm({ content: texts.wechat.unbindConfirm }))) return;
    setBusy(true);
    try {
      setBinding(await unbindWechat());
      Toast.show({ content: texts.wechat.unbound, icon: 'success' });
    } catch (caught) {
      Toast.show({ content: portalErrorMessage(caught), icon: 'fail' });
    } finally {
      setBusy(false);
    }
  };
  return (
    <List mode="card" header={texts.wechat.title} data-testid="portal-wechat">
      {binding.isBound ? (
        <List.Item
          extra={
            <Button size="small" fill="none" color="danger" disabled={busy} onClick={() => void unbind()}>
              {texts.wechat.unbind}
            </Button>
          }
        >
          {texts.wechat.bound}
        </List.Item>
      ) : (
        <List.Item description={texts.wechat.bindNote} onClick={busy ? undefined : () => void bind()}>
          {texts.wechat.bind}
        </List.Item>
      )}
    </List>
  );
};

/** 我的: her courses, orders, points history and invitations, 绑定微信, 消息设置, and 退出登录. */
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
      <WechatBinding />
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
