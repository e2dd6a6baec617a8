import { Button, DotLoading, Empty, ErrorBlock, InfiniteScroll, List, NavBar, Popup, Tag } from 'antd-mobile';
import dayjs from 'dayjs';
import { useEffect, useState } from 'react';
import { api, unwrap } from '../shared/api';
import type { PortalOrder, PortalReceipt } from '../shared/api-models';
import { formatYuan } from '../shared/money';
import { portalErrorMessage } from './portal-api';
import { texts } from './texts';

const Row = ({ label, value, strong = false }: { label: string; value: string; strong?: boolean }) => (
  <div className={strong ? 'portal-receipt-row portal-receipt-strong' : 'portal-receipt-row'}>
    <span>{label}</span>
    <span>{value}</span>
  </div>
);

/** 电子小票: what the printed receipt says — lines, payments, vouchers, points and stored value with the balances after. */
const ReceiptSheet = ({ orderId, onClose }: { orderId: string | null; onClose: () => void }) => {
  const [receipt, setReceipt] = useState<PortalReceipt | undefined>();
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    setReceipt(undefined);
    setError(null);
    if (!orderId) return;
    unwrap(api.GET('/api/portal/v1/orders/{id}/receipt', { params: { path: { id: orderId } } }))
      .then(setReceipt)
      .catch((caught: unknown) => setError(portalErrorMessage(caught)));
  }, [orderId]);
  return (
    <Popup
      visible={orderId !== null}
      onMaskClick={onClose}
      onClose={onClose}
      bodyStyle={{ borderTopLeftRadius: 12, borderTopRightRadius: 12, maxHeight: '90vh', overflowY: 'auto' }}
    >
      <div className="portal-receipt" data-testid="portal-receipt">
        {error && <ErrorBlock status="default" title={error} description="" />}
        {!error && !receipt && (
          <div className="portal-loading">
            <DotLoading />
          </div>
        )}
        {receipt && (
          <>
            <h2>{receipt.clinic.name}</h2>
            {receipt.clinic.header && <p className="portal-note">{receipt.clinic.header}</p>}
            <p className="portal-receipt-meta">
              {receipt.store.name} · {texts.orders.receipt} {receipt.number}
              <br />
              {receipt.placedAt ? dayjs(receipt.placedAt).format('YYYY-MM-DD HH:mm') : receipt.businessDate}
            </p>
            {receipt.lines.map((line) => (
              <Row key={`${line.name}-${line.amountFen}`} label={`${line.name} × ${line.quantity}`} value={formatYuan(line.amountFen)} />
            ))}
            {receipt.vouchers.map((voucher) => (
              <Row key={voucher.title} label={`${texts.orders.vouchers}：${voucher.title}`} value={`-${formatYuan(voucher.amountFen)}`} />
            ))}
            <Row label={texts.orders.total} value={formatYuan(receipt.totalFen)} strong />
            {receipt.payments.map((payment) => (
              <Row
                key={`${payment.kind}-${payment.method}-${payment.createdAt}`}
                label={
                  payment.kind === 'payment'
                    ? (texts.orders.methods[payment.method] ?? payment.method)
                    : `${texts.orders.refund} · ${texts.orders.methods[payment.method] ?? payment.method}`
                }
                value={formatYuan(payment.amountFen)}
              />
            ))}
            {receipt.arrearsFen > 0 && <Row label={texts.orders.arrearsLabel} value={formatYuan(receipt.arrearsFen)} />}
            {receipt.points && (
              <>
                {receipt.points.earned > 0 && <Row label={texts.orders.pointsEarned} value={`+${receipt.points.earned.toLocaleString('en-US')}`} />}
                {receipt.points.spent > 0 && <Row label={texts.orders.pointsSpent} value={`-${receipt.points.spent.toLocaleString('en-US')}`} />}
                <Row label={texts.orders.pointsAfter} value={receipt.points.balanceAfter.toLocaleString('en-US')} />
              </>
            )}
            {receipt.storedValue && (
              <>
                <Row label={texts.orders.storedValueSpent} value={formatYuan(receipt.storedValue.spentFen)} />
                <Row label={texts.orders.storedValueAfter} value={formatYuan(receipt.storedValue.balanceAfterFen)} />
              </>
            )}
            {receipt.clinic.footer && <p className="portal-note">{receipt.clinic.footer}</p>}
          </>
        )}
        <div style={{ padding: '12px 0 8px' }}>
          <Button block onClick={onClose}>
            {texts.orders.close}
          </Button>
        </div>
      </div>
    </Popup>
  );
};

const statusTag = (order: PortalOrder) => {
  if (order.status === 'open') return <Tag color="warning">{texts.orders.open}</Tag>;
  if (order.arrearsFen > 0) return <Tag color="warning">{texts.orders.arrears(formatYuan(order.arrearsFen))}</Tag>;
  if (order.refundedFen > 0) return <Tag color="default">{texts.orders.refunded(formatYuan(order.refundedFen))}</Tag>;
  return null;
};

/** 我的订单: newest first, 20 at a time; a tap opens its receipt. */
export const OrdersPage = ({ onBack }: { onBack: () => void }) => {
  const [orders, setOrders] = useState<PortalOrder[]>([]);
  const [total, setTotal] = useState<number | undefined>();
  const [error, setError] = useState<string | null>(null);
  const [openId, setOpenId] = useState<string | null>(null);
  const loadMore = async () => {
    try {
      const page = await unwrap(api.GET('/api/portal/v1/orders', { params: { query: { page: Math.floor(orders.length / 20) + 1 } } }));
      setOrders((current) => [...current, ...page.items]);
      setTotal(page.total);
    } catch (caught) {
      setError(portalErrorMessage(caught));
    }
  };
  return (
    <div data-testid="portal-orders">
      <NavBar onBack={onBack}>{texts.orders.title}</NavBar>
      {error && <ErrorBlock status="default" title={error} description="" />}
      {total === 0 && <Empty description={texts.orders.empty} />}
      <List mode="card">
        {orders.map((order) => (
          <List.Item
            key={order.id}
            data-testid="portal-order"
            onClick={() => setOpenId(order.id)}
            description={`${order.placedAt ? dayjs(order.placedAt).format('YYYY-MM-DD HH:mm') : order.businessDate} · ${order.storeName}`}
            extra={formatYuan(order.totalFen)}
          >
            {order.itemNames.join('、')} {statusTag(order)}
          </List.Item>
        ))}
      </List>
      {!error && <InfiniteScroll loadMore={loadMore} hasMore={total === undefined || orders.length < total} />}
      <ReceiptSheet orderId={openId} onClose={() => setOpenId(null)} />
    </div>
  );
};
