import { Card, DotLoading, ErrorBlock, List, NavBar, ProgressBar, Tag, Toast } from 'antd-mobile';
import dayjs from 'dayjs';
import { useEffect, useState } from 'react';
import { portalErrorMessage } from './portal-api';
import { fetchMyReferral, type MyReferral, posterUrl } from './referral-api';
import { referralTexts as texts } from './referral-texts';
import './referral.css';

const stageColors: Record<string, 'default' | 'primary' | 'success'> = { registered: 'default', arrived: 'primary', dealt: 'success' };

/** 邀请好友 on the portal home: a row that opens the invite page. */
export const InviteEntry = () => (
  <List mode="card">
    <List.Item
      onClick={() => {
        window.location.hash = '#/invite';
      }}
      description={texts.entryNote}
      data-testid="portal-invite-entry"
    >
      {texts.entry}
    </List.Item>
  </List>
);

/**
 * 邀请好友 (SPEC §11, §18): her poster (a PNG she saves by long-press), her code and link, what
 * the programme gives and that it is never cash, her partner level, and the friends she invited
 * (names masked) with how far they came and her rewards.
 */
export const InvitePage = ({ onBack }: { onBack: () => void }) => {
  const [referral, setReferral] = useState<MyReferral | undefined>();
  const [error, setError] = useState<string | null>(null);
  const [posterState, setPosterState] = useState<'loading' | 'loaded' | 'failed'>('loading');

  useEffect(() => {
    fetchMyReferral()
      .then(setReferral)
      .catch((failure: unknown) => {
        setError(portalErrorMessage(failure));
        Toast.show({ content: portalErrorMessage(failure), icon: 'fail' });
      });
  }, []);

  return (
    <>
      <NavBar onBack={onBack}>{texts.title}</NavBar>
      {error && <ErrorBlock status="default" title={error} />}
      <Card className="portal-card" data-testid="portal-poster-card">
        {posterState === 'loading' && (
          <div className="portal-loading" style={{ padding: '24px 0' }}>
            {texts.posterLoading}
            <DotLoading />
          </div>
        )}
        {posterState === 'failed' ? (
          <p className="portal-note">{texts.posterFailed}</p>
        ) : (
          <img
            src={posterUrl}
            alt={texts.posterAlt}
            className="portal-poster"
            data-testid="portal-poster"
            style={posterState === 'loaded' ? undefined : { height: 0 }}
            onLoad={() => setPosterState('loaded')}
            onError={() => setPosterState('failed')}
          />
        )}
        <p className="portal-poster-hint">{texts.posterHint}</p>
      </Card>
      {referral && (
        <>
          <Card title={texts.myCode} className="portal-card">
            <div className="portal-invite-code" data-testid="portal-referral-code">
              {referral.code}
            </div>
            <p className="portal-note" style={{ padding: 0 }}>
              {texts.codeHint}
            </p>
            <div className="portal-invite-link">
              {texts.link}：{referral.url}
            </div>
          </Card>
          <Card title={texts.rules} className="portal-card" data-testid="portal-referral-rules">
            {referral.lines.length === 0 ? (
              <p className="portal-note">{texts.noRules}</p>
            ) : (
              <ul className="portal-invite-rules">
                {referral.lines.map((line) => (
                  <li key={line}>{line}</li>
                ))}
              </ul>
            )}
            <p className="portal-invite-statement">{referral.statements.referrerRewarded}</p>
            <p className="portal-invite-statement">{referral.statements.noCash}</p>
          </Card>
          <Card title={texts.partner} className="portal-card">
            <div style={{ fontSize: 20, fontWeight: 600, color: 'var(--adm-color-primary)' }}>{referral.partner.level}</div>
            {referral.partner.benefits && <p style={{ margin: '6px 0', fontSize: 13, color: '#555' }}>{referral.partner.benefits}</p>}
            {referral.partner.next && (
              <>
                <ProgressBar percent={referral.partner.percent} style={{ '--track-width': '6px', margin: '8px 0 4px' }} />
                <p style={{ margin: 0, fontSize: 12, color: '#888' }}>{referral.partner.next}</p>
              </>
            )}
          </Card>
          <Card title={texts.myReferrals} className="portal-card" data-testid="portal-my-referrals">
            {referral.pointsEarned > 0 && <p style={{ margin: '0 0 8px', fontSize: 13 }}>{texts.earned(referral.pointsEarned)}</p>}
            {referral.referred.length === 0 ? (
              <p className="portal-note">{texts.noReferrals}</p>
            ) : (
              <List>
                {referral.referred.map((friend) => (
                  <List.Item
                    key={`${friend.name}-${friend.referredAt}`}
                    extra={<Tag color={stageColors[friend.stage] ?? 'default'}>{texts.stages[friend.stage] ?? friend.stage}</Tag>}
                    description={
                      <>
                        <div>{texts.referredAt(dayjs(friend.referredAt).format('YYYY-MM-DD'))}</div>
                        {friend.rewards.map((reward) => (
                          <div key={reward.title}>{texts.reward(reward.title, reward.points, reward.hasVoucher, reward.status)}</div>
                        ))}
                      </>
                    }
                  >
                    {friend.name}
                  </List.Item>
                ))}
              </List>
            )}
          </Card>
        </>
      )}
    </>
  );
};
