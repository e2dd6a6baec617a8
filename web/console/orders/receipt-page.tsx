import { PrinterOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Alert, Button, Flex, Segmented, Spin } from 'antd';
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { useParams, useSearchParams } from 'react-router';
import { api, unwrap } from '../../shared/api';
import { formatYuan } from '../../shared/money';
import { useErrorMessage } from '../common/error-message';
import { useServerText } from '../common/server-text';
import { formatTenantTime } from '../common/tenant-time';
import { usePaymentMethodLabel } from '../payments/payment-methods';

const paperWidths = { '80': 72, '58': 48 } as const;
type Paper = keyof typeof paperWidths;

const useReceipt = (orderId: string) =>
  useQuery({
    queryKey: ['orders', orderId, 'receipt'],
    queryFn: () => unwrap(api.GET('/api/v1/orders/{id}/receipt-view', { params: { path: { id: orderId } } })),
  });

/** The page's own print rules: thermal paper of the chosen width, nothing but the receipt on it. */
const printStyle = (paper: Paper) => `
  @page { size: ${paper}mm auto; margin: 2mm; }
  @media print { .receipt-toolbar { display: none !important; } body { background: #fff !important; } .receipt-paper { box-shadow: none !important; margin: 0 !important; } }
`;

const Row = ({ left, right, strong }: { left: string; right?: string; strong?: boolean }) => (
  <div style={{ display: 'flex', justifyContent: 'space-between', gap: 8, fontWeight: strong ? 700 : undefined }}>
    <span>{left}</span>
    {right !== undefined && <span style={{ whiteSpace: 'nowrap' }}>{right}</span>}
  </div>
);

const Rule = () => <hr style={{ border: 0, borderTop: '1px dashed #000', margin: '4px 0' }} />;

/**
 * 小票 — the receipt as a print page of the console (opened from checkout and the order page):
 * the clinic's logo, header and footer, the store, lines and payments with the cashier, the
 * vouchers used, points earned and spent with the balance after, stored value spent with the
 * balance after. Prints itself once when opened with `print=1`.
 */
export const ReceiptPage = () => {
  const { t } = useTranslation();
  const serverText = useServerText();
  const errorMessage = useErrorMessage();
  const methodLabel = usePaymentMethodLabel();
  const { id = '' } = useParams();
  const [searchParams, setSearchParams] = useSearchParams();
  const paper: Paper = searchParams.get('width') === '58' ? '58' : '80';
  const receipt = useReceipt(id);
  const printed = useRef(false);
  const shouldPrint = searchParams.get('print') === '1';

  useEffect(() => {
    if (!receipt.data || !shouldPrint || printed.current) return;
    printed.current = true;
    window.print();
  }, [receipt.data, shouldPrint]);

  const data = receipt.data;
  const when = (iso: string) => (data ? formatTenantTime(iso, data.clinic.timezone, 'YYYY-MM-DD HH:mm') : '');
  const paid = data?.order.payments.filter((payment) => payment.kind === 'payment' && !payment.isReversed) ?? [];
  const paidFen = paid.reduce((sum, payment) => sum + payment.amountFen, 0);
  const owedFen = data ? Math.max(0, data.order.totalFen - paidFen) : 0;

  return (
    <div style={{ minHeight: '100vh', background: '#f5f5f5', padding: '16px 0' }}>
      <style>{printStyle(paper)}</style>
      <Flex className="receipt-toolbar" justify="center" gap={12} style={{ marginBottom: 16 }}>
        <Segmented<Paper>
          aria-label={t('receipt.paper')}
          value={paper}
          options={[
            { value: '80', label: t('payments.receiptWidth', { width: '80' }) },
            { value: '58', label: t('payments.receiptWidth', { width: '58' }) },
          ]}
          onChange={(value) => setSearchParams({ width: value })}
        />
        <Button type="primary" icon={<PrinterOutlined />} onClick={() => window.print()} disabled={!data}>
          {t('receipt.print')}
        </Button>
      </Flex>
      {receipt.isPending && (
        <Flex justify="center">
          <Spin />
        </Flex>
      )}
      {receipt.isError && <Alert type="error" showIcon message={errorMessage(receipt.error)} style={{ maxWidth: 480, margin: '0 auto' }} />}
      {data && (
        <article
          className="receipt-paper"
          aria-label={t('receipt.title', { number: data.order.number })}
          style={{
            width: `${paperWidths[paper]}mm`,
            margin: '0 auto',
            padding: '3mm',
            background: '#fff',
            color: '#000',
            boxShadow: '0 0 4px #999',
            font: '12px/1.45 "WenQuanYi Micro Hei", "Noto Sans CJK SC", "PingFang SC", "Microsoft YaHei", sans-serif',
          }}
        >
          {data.clinic.logoUrl && (
            <div style={{ textAlign: 'center' }}>
              <img src={data.clinic.logoUrl} alt="" style={{ maxWidth: '60%', maxHeight: '18mm', filter: 'grayscale(1)' }} />
            </div>
          )}
          <h1 style={{ fontSize: 15, textAlign: 'center', margin: '4px 0 0' }}>{data.clinic.name}</h1>
          <div style={{ textAlign: 'center', fontSize: 11 }}>
            <div>{data.store.name}</div>
            {data.store.address && <div>{data.store.address}</div>}
            {data.store.phone && <div>{t('receipt.phone', { phone: data.store.phone })}</div>}
          </div>
          {data.clinic.header && <div style={{ textAlign: 'center', fontSize: 11, marginTop: 4 }}>{data.clinic.header}</div>}
          <Rule />
          <Row left={t('receipt.number')} right={data.order.number} />
          <Row left={t('receipt.time')} right={when(data.order.placedAt ?? data.order.createdAt)} />
          <Row left={t('receipt.customer')} right={`${data.customer.name} ${data.customer.maskedPhone}`} />
          {data.cashierNames.length > 0 && <Row left={t('receipt.cashier')} right={data.cashierNames.join('、')} />}
          <Rule />
          {data.order.lines.map((line) => (
            <div key={line.id} style={{ paddingTop: 2 }}>
              <div>{line.name}</div>
              <Row left={`${line.quantity} × ${formatYuan(line.unitPriceFen)}`} right={formatYuan(line.amountFen)} />
              {line.discountFen > 0 && <Row left={t('receipt.discount')} right={`-${formatYuan(line.discountFen)}`} />}
            </div>
          ))}
          <Rule />
          <Row left={t('receipt.total')} right={formatYuan(data.order.totalFen)} strong />
          {data.vouchers.map((voucher) => (
            <Row
              key={voucher.title}
              left={t('receipt.voucher', { title: serverText.voucherTitle(voucher.title) })}
              right={`-${formatYuan(voucher.amountFen)}`}
            />
          ))}
          {data.order.payments.map((payment) => (
            <Row
              key={payment.id}
              left={`${payment.kind === 'payment' ? '' : `${t(`orders.payments.kinds.${payment.kind}`)} `}${methodLabel(payment.method)}${payment.isReversed ? t('receipt.reversed') : ''}`}
              right={formatYuan(payment.amountFen)}
            />
          ))}
          {owedFen > 0 && <Row left={t('receipt.owed')} right={formatYuan(owedFen)} strong />}
          {(data.points || data.storedValue) && <Rule />}
          {data.points && (
            <>
              {data.points.earned > 0 && <Row left={t('receipt.pointsEarned')} right={`+${data.points.earned}`} />}
              {data.points.spent > 0 && <Row left={t('receipt.pointsSpent')} right={`-${data.points.spent}`} />}
              <Row left={t('receipt.pointsBalance')} right={String(data.points.balanceAfter)} />
            </>
          )}
          {data.storedValue && (
            <>
              {data.storedValue.spentFen > 0 && <Row left={t('receipt.storedValueSpent')} right={`-${formatYuan(data.storedValue.spentFen)}`} />}
              <Row left={t('receipt.storedValueBalance')} right={formatYuan(data.storedValue.balanceAfterFen)} />
            </>
          )}
          <Rule />
          <div style={{ textAlign: 'center', fontSize: 11, marginTop: 4 }}>
            {data.clinic.footer && <div>{data.clinic.footer}</div>}
            <div>{t('receipt.printedAt', { time: when(data.printedAt) })}</div>
          </div>
        </article>
      )}
    </div>
  );
};
