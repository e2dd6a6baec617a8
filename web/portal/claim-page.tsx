import { Button, Card, DotLoading, Empty, ErrorBlock, List, NavBar, Result, Tag, Toast } from 'antd-mobile';
import { useCallback, useEffect, useRef, useState } from 'react';
import { ApiError } from '../shared/api';
import type { PortalLogin, PortalMe } from '../shared/api-models';
import { formatYuan } from '../shared/money';
import { type ClaimOffer, type ClaimResult, claimVoucher, fetchClaimCentre, fetchClaimOffer, newClaimKey } from './claim-api';
import { claimTexts as texts } from './claim-texts';
import { LoginPage } from './login-page';
import { portalErrorMessage } from './portal-api';

/** The big number on the coupon: ¥50, 8.5折, 免费体验. */
const faceOf = (offer: ClaimOffer): string => {
  switch (offer.kind) {
    case 'cash_off':
      return formatYuan(offer.faceValueFen ?? 0).replace(/\.00$/, '');
    case 'discount':
      return `${((10_000 - (offer.discountBasisPoints ?? 0)) / 1000).toFixed(2).replace(/\.?0+$/, '')}折`;
    case 'item':
      return offer.faceValueFen ? `抵${formatYuan(offer.faceValueFen).replace(/\.00$/, '')}` : '免费体验';
    case 'gift':
      return '赠品';
  }
};

const walletUrl = (clinicCode: string) => `/m/?clinic=${encodeURIComponent(clinicCode)}#/vouchers`;
const claimUrl = (code: string, clinicCode: string) => `/m/claim/${code}?clinic=${encodeURIComponent(clinicCode)}`;

/** 领券中心 entries: open offers she can still claim (those she already holds say so). */
const ClaimCentreList = ({ clinicCode, exceptCode }: { clinicCode: string; exceptCode?: string }) => {
  const [offers, setOffers] = useState<ClaimOffer[] | undefined>();
  useEffect(() => {
    fetchClaimCentre()
      .then((centre) => setOffers(centre.items.filter((offer) => offer.code !== exceptCode)))
      .catch(() => setOffers([]));
  }, [exceptCode]);
  if (!offers) return null;
  if (offers.length === 0) return exceptCode ? null : <Empty description={texts.centreEmpty} />;
  return (
    <List header={exceptCode ? texts.more : undefined} mode="card" data-testid="claim-centre">
      {offers.map((offer) => (
        <List.Item
          key={offer.code}
          description={offer.title}
          extra={offer.state === 'available' ? <span className="portal-claim-go">{texts.goClaim}</span> : texts.states[offer.state]}
          onClick={() => window.location.assign(claimUrl(offer.code, clinicCode))}
          arrowIcon={offer.state === 'available'}
        >
          {offer.name}
        </List.Item>
      ))}
    </List>
  );
};

/** 领券中心 page (`/m/claims`). */
export const ClaimCentrePage = ({ clinicCode, me, onLoggedIn }: { clinicCode: string; me: PortalMe | null; onLoggedIn: (session: PortalLogin) => void }) => {
  if (!me) return <LoginPage clinicCode={clinicCode} onLoggedIn={onLoggedIn} />;
  return (
    <>
      <NavBar onBack={() => window.location.assign(`/m/?clinic=${encodeURIComponent(clinicCode)}`)}>{texts.centreTitle}</NavBar>
      <ClaimCentreList clinicCode={clinicCode} />
    </>
  );
};

/**
 * 领券页 (`/m/claim/<code>`): the voucher's title, value, scope, validity and stock left, shown
 * before login; 立即领取 asks her to log in by SMS first when needed, then claims.
 */
export const ClaimPage = ({
  code,
  clinicCode,
  me,
  onLoggedIn,
}: {
  code: string;
  clinicCode: string;
  me: PortalMe | null;
  onLoggedIn: (session: PortalLogin) => void;
}) => {
  const [offer, setOffer] = useState<ClaimOffer | undefined>();
  const [error, setError] = useState<string | null>(null);
  const [isLoggingIn, setIsLoggingIn] = useState(false);
  const [isClaiming, setIsClaiming] = useState(false);
  const [claimed, setClaimed] = useState<ClaimResult | null>(null);
  // The same key until a claim gets an answer: a retry after a lost response is the same claim.
  const claimKey = useRef(newClaimKey());

  const load = useCallback(() => {
    fetchClaimOffer(code, clinicCode)
      .then((next) => {
        setOffer(next);
        setError(null);
      })
      .catch((caught: unknown) => setError(portalErrorMessage(caught)));
  }, [code, clinicCode]);

  // Reload when she logs in or out: the page then says whether she already holds it.
  useEffect(() => {
    if (me !== undefined) load();
  }, [load, me]);

  // Signed in to this clinic: the server then says how many she holds (another clinic's session is not this one).
  const isSignedInHere = me !== null && offer?.held !== null && offer?.held !== undefined;

  const claim = async () => {
    if (!isSignedInHere) {
      setIsLoggingIn(true);
      return;
    }
    setIsClaiming(true);
    try {
      const result = await claimVoucher(code, claimKey.current);
      claimKey.current = newClaimKey();
      setClaimed(result);
      setOffer(result.offer);
      Toast.show({ content: result.message, icon: 'success' });
    } catch (caught) {
      // A refusal (sold out, limit reached) is an answer: the next tap is a new claim.
      if (caught instanceof ApiError) claimKey.current = newClaimKey();
      Toast.show({ content: portalErrorMessage(caught), icon: 'fail' });
      load();
    } finally {
      setIsClaiming(false);
    }
  };

  if (isLoggingIn && !isSignedInHere) {
    return (
      <>
        <LoginPage
          clinicCode={clinicCode}
          onLoggedIn={(session) => {
            setIsLoggingIn(false);
            onLoggedIn(session);
          }}
        />
        <p className="portal-note">{texts.loginHint}</p>
      </>
    );
  }

  if (error) return <ErrorBlock status="empty" title={error} description={texts.notFound} />;
  if (!offer)
    return (
      <div className="portal-loading">
        <DotLoading />
      </div>
    );

  const canClaim = offer.state === 'available';
  return (
    <>
      <NavBar backIcon={false}>{texts.title}</NavBar>
      <div className="portal-hero">
        <p>{offer.clinicName}</p>
      </div>
      <Card className="portal-card portal-claim" data-testid="claim-offer">
        <div className="portal-claim-value">{faceOf(offer)}</div>
        <div className="portal-claim-name">
          <span className="portal-voucher-kind">{texts.kinds[offer.kind]}</span> {offer.name}
        </div>
        <div className="portal-voucher-title">{offer.title}</div>
        <List className="portal-claim-facts">
          <List.Item extra={offer.scopeLabel}>{texts.scope}</List.Item>
          <List.Item extra={offer.validityLabel}>{texts.validity}</List.Item>
          <List.Item extra={offer.stockLeft === null ? texts.unlimited : texts.stockLeft(offer.stockLeft)}>{texts.stock}</List.Item>
          {offer.description && <List.Item description={offer.description}>{texts.description}</List.Item>}
        </List>
        <div className="portal-voucher-tags">
          <Tag color="default" fill="outline">
            {texts.perCustomer(offer.perCustomerLimit)}
          </Tag>
          {offer.held !== null && offer.held > 0 && <Tag color="success">{texts.held(offer.held)}</Tag>}
        </div>
      </Card>
      <div className="portal-card">
        {claimed ? <Result status="success" title={texts.claimed} description={claimed.vouchers.map((voucher) => voucher.title).join('；')} /> : null}
        {canClaim ? (
          <Button block color="primary" size="large" loading={isClaiming} onClick={claim}>
            {isSignedInHere ? texts.claim : texts.loginToClaim}
          </Button>
        ) : (
          <Button block size="large" disabled>
            {texts.states[offer.state]}
          </Button>
        )}
        {isSignedInHere && (claimed || offer.state === 'limit_reached') && (
          <Button block fill="none" color="primary" style={{ marginTop: 8 }} onClick={() => window.location.assign(walletUrl(clinicCode))}>
            {texts.openWallet}
          </Button>
        )}
      </div>
      {isSignedInHere && <ClaimCentreList clinicCode={clinicCode} exceptCode={code} />}
    </>
  );
};
