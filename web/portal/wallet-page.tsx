import { Badge, Button, Card, DotLoading, Empty, ErrorBlock, List, NavBar, Popup, Tabs, Tag } from 'antd-mobile';
import dayjs from 'dayjs';
import { useEffect, useState } from 'react';
import { api, unwrap } from '../shared/api';
import type { paths } from '../shared/api-types';
import { claimTexts } from './claim-texts';
import { portalErrorMessage } from './portal-api';
import { walletTexts as texts } from './wallet-texts';

type PortalVoucher = paths['/api/portal/v1/vouchers']['get']['responses'][200]['content']['application/json']['items'][number];
type PortalVoucherDetail = paths['/api/portal/v1/vouchers/{id}']['get']['responses'][200]['content']['application/json'];
type WalletTab = 'usable' | 'used' | 'expired';

const tabOf = (voucher: PortalVoucher): WalletTab => (voucher.status === 'available' ? 'usable' : voucher.status === 'used' ? 'used' : 'expired');

const fetchWallet = () => unwrap(api.GET('/api/portal/v1/vouchers'));

/** 1234 5678 9012: the 12 digits in groups the desk reads back easily. */
const groupedCode = (code: string) => code.replace(/(\d{4})(?=\d)/g, '$1 ');

/** The status line under a voucher: 即将过期, the day it starts, or when it was used. */
const VoucherTags = ({ voucher }: { voucher: PortalVoucher }) => (
  <div className="portal-voucher-tags">
    {voucher.isExpiringSoon && <Tag color="warning">{texts.expiringSoon}</Tag>}
    {voucher.status === 'available' && !voucher.isUsableToday && <Tag color="primary">{texts.notYet(voucher.validFrom)}</Tag>}
    {voucher.isStoreOnly && voucher.status === 'available' && (
      <Tag color="default" fill="outline">
        {texts.storeOnly}
      </Tag>
    )}
    {voucher.status === 'voided' && <Tag color="default">{texts.voided}</Tag>}
  </div>
);

/** 核销码 sheet: the code in big digits and, while she can use it, a QR code the desk scans (at checkout for cash and discount vouchers). */
const VoucherSheet = ({ voucherId, onClose }: { voucherId: string | null; onClose: () => void }) => {
  const [detail, setDetail] = useState<PortalVoucherDetail | undefined>();
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    setDetail(undefined);
    setError(null);
    if (!voucherId) return;
    unwrap(api.GET('/api/portal/v1/vouchers/{id}', { params: { path: { id: voucherId } } }))
      .then(setDetail)
      .catch((caught: unknown) => setError(portalErrorMessage(caught)));
  }, [voucherId]);
  const isUsable = detail?.status === 'available';
  const showsQr = isUsable && Boolean(detail?.qrSvg);
  return (
    <Popup
      visible={voucherId !== null}
      onMaskClick={onClose}
      onClose={onClose}
      bodyStyle={{ borderTopLeftRadius: 12, borderTopRightRadius: 12, maxHeight: '90vh', overflowY: 'auto' }}
    >
      <div className="portal-voucher-sheet" data-testid="portal-voucher-sheet">
        {error && <ErrorBlock status="default" title={error} description="" />}
        {!error && !detail && (
          <div className="portal-loading">
            <DotLoading />
          </div>
        )}
        {detail && (
          <>
            <div className="portal-voucher-sheet-kind">{texts.kinds[detail.kind]}</div>
            <h2>{detail.name}</h2>
            <p className="portal-voucher-sheet-title">{detail.title}</p>
            {showsQr && detail.qrSvg && (
              <img className="portal-voucher-qr" alt={texts.detail.qr} src={`data:image/svg+xml;charset=utf-8,${encodeURIComponent(detail.qrSvg)}`} />
            )}
            <div className="portal-voucher-code-label">{texts.detail.code}</div>
            <div className={isUsable ? 'portal-voucher-code' : 'portal-voucher-code portal-voucher-code-spent'} data-testid="portal-voucher-code">
              {groupedCode(detail.code)}
            </div>
            <p className="portal-note" style={{ paddingTop: 0 }}>
              {!isUsable
                ? detail.status === 'used' && detail.usedAt
                  ? texts.usedAt(dayjs(detail.usedAt).format('YYYY-MM-DD HH:mm'))
                  : texts.detail.notUsable
                : detail.kind === 'item' || detail.kind === 'gift'
                  ? texts.detail.codeHelp
                  : texts.detail.checkoutHelp}
            </p>
            <List>
              <List.Item extra={detail.scopeLabel}>{texts.detail.scope}</List.Item>
              <List.Item extra={texts.validRange(detail.validFrom, detail.validTo)}>{texts.detail.validity}</List.Item>
              {detail.description && <List.Item description={detail.description}>{texts.detail.description}</List.Item>}
            </List>
          </>
        )}
        <div style={{ padding: '12px 16px 20px' }}>
          <Button block onClick={onClose}>
            {texts.detail.close}
          </Button>
        </div>
      </div>
    </Popup>
  );
};

/** 我的券包 (SPEC §18): 可用 / 已使用 / 已过期, each voucher's full title, and its 核销码 in a sheet. */
export const WalletPage = ({ onBack }: { onBack?: () => void }) => {
  const [items, setItems] = useState<PortalVoucher[] | undefined>();
  const [error, setError] = useState<string | null>(null);
  const [tab, setTab] = useState<WalletTab>('usable');
  const [openId, setOpenId] = useState<string | null>(null);
  useEffect(() => {
    fetchWallet()
      .then((wallet) => setItems(wallet.items))
      .catch((caught: unknown) => setError(portalErrorMessage(caught)));
  }, []);
  const shown = (items ?? []).filter((voucher) => tabOf(voucher) === tab);
  const countOf = (which: WalletTab) => (items ?? []).filter((voucher) => tabOf(voucher) === which).length;
  return (
    <>
      <NavBar
        backIcon={onBack ? undefined : false}
        onBack={onBack}
        right={
          <a className="portal-claim-go" href="/m/claims">
            {claimTexts.centreTitle}
          </a>
        }
      >
        {texts.title}
      </NavBar>
      <Tabs activeKey={tab} onChange={(key) => setTab(key as WalletTab)}>
        {(['usable', 'used', 'expired'] as const).map((key) => (
          <Tabs.Tab key={key} title={texts.tabCount(texts.tabs[key], countOf(key))} />
        ))}
      </Tabs>
      {error && <ErrorBlock status="default" title={texts.loadFailed} description={error} />}
      {!error && !items && (
        <div className="portal-loading">
          <DotLoading />
        </div>
      )}
      {items && shown.length === 0 && <Empty description={texts.empty[tab]} />}
      <div data-testid="portal-wallet">
        {shown.map((voucher) => (
          <Card
            key={voucher.id}
            className={voucher.status === 'available' ? 'portal-card portal-voucher' : 'portal-card portal-voucher portal-voucher-spent'}
            onClick={() => setOpenId(voucher.id)}
            data-testid="portal-voucher"
          >
            <div className="portal-voucher-head">
              <span className="portal-voucher-kind">{texts.kinds[voucher.kind]}</span>
              <span className="portal-voucher-name">{voucher.name}</span>
            </div>
            <div className="portal-voucher-title">{voucher.title}</div>
            <VoucherTags voucher={voucher} />
            {/* A usable voucher's title already ends with its last day. */}
            {voucher.status === 'used' && voucher.usedAt && (
              <div className="portal-voucher-foot">{texts.usedAt(dayjs(voucher.usedAt).format('YYYY-MM-DD'))}</div>
            )}
            {voucher.status === 'expired' && <div className="portal-voucher-foot">{texts.expired}</div>}
          </Card>
        ))}
      </div>
      <VoucherSheet voucherId={openId} onClose={() => setOpenId(null)} />
    </>
  );
};

/** 我的券包 on the portal home: how many she can use, and a badge when some end within a week. */
export const WalletEntry = ({ onOpen }: { onOpen: () => void }) => {
  const [items, setItems] = useState<PortalVoucher[] | undefined>();
  useEffect(() => {
    fetchWallet()
      .then((wallet) => setItems(wallet.items))
      .catch(() => setItems(undefined));
  }, []);
  const usable = (items ?? []).filter((voucher) => voucher.status === 'available');
  const expiring = usable.filter((voucher) => voucher.isExpiringSoon).length;
  return (
    <List mode="card" data-testid="portal-wallet-entry">
      <List.Item
        onClick={onOpen}
        description={expiring > 0 ? <span className="portal-expiring-inline">{texts.entryExpiring(expiring)}</span> : undefined}
        extra={items ? texts.entryCount(usable.length) : undefined}
      >
        {expiring > 0 ? (
          <Badge content={Badge.dot} style={{ '--right': '-6px' }}>
            {texts.entry}
          </Badge>
        ) : (
          texts.entry
        )}
      </List.Item>
    </List>
  );
};
