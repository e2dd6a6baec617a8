import { formatYuan, toChineseUppercase } from '../../platform/money.js';
import { visitTypeLabels } from '../customers/index.js';
import type { OrderView } from './schemas.js';
import { paymentMethodLabels } from './schemas.js';

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);

const kindLabels: Record<string, string> = { payment: '', refund: '退款 ', reversal: '撤销 ' };

/**
 * A receipt for 58 mm or 80 mm thermal paper: store, items, amounts, the total in 大写,
 * payments and the customer's masked phone. Plain HTML with print CSS, no external assets.
 */
export const renderReceipt = (
  order: OrderView,
  context: {
    tenantName: string;
    /** The clinic's logo, served by the app (same origin), or null. */
    logoUrl: string | null;
    /** The clinic's own lines above the items and at the foot (设置 → 诊所). */
    header: string | null;
    footer: string | null;
    store: { name: string; address: string | null; phone: string | null };
    maskedPhone: string;
    printedAt: string;
    /** The clinic's time zone, for the order's time. */
    timezone: string;
    widthMm: 58 | 80;
  },
) => {
  const contentWidth = context.widthMm === 58 ? 48 : 72;
  const rows = order.lines
    .map(
      (line) =>
        `<tr><td class="name" colspan="3">${escapeHtml(line.name)}</td></tr>
         <tr><td>${line.quantity} × ${formatYuan(line.unitPriceFen)}</td><td class="r">${line.discountFen ? `-${formatYuan(line.discountFen)}` : ''}</td><td class="r">${formatYuan(line.amountFen)}</td></tr>`,
    )
    .join('');
  const paymentRows = order.payments
    .map(
      (payment) =>
        `<tr><td>${kindLabels[payment.kind] ?? ''}${escapeHtml(paymentMethodLabels[payment.method] ?? payment.method)}${payment.isReversed ? '（已撤销）' : ''}</td><td class="r" colspan="2">${formatYuan(payment.amountFen)}</td></tr>`,
    )
    .join('');
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>小票 ${escapeHtml(order.number)}</title>
<style>
  @page { size: ${context.widthMm}mm auto; margin: 2mm; }
  body { width: ${contentWidth}mm; margin: 0 auto; font: 12px/1.45 "WenQuanYi Micro Hei", "Noto Sans CJK SC", "PingFang SC", "Microsoft YaHei", sans-serif; color: #000; }
  h1 { font-size: 15px; text-align: center; margin: 4px 0 0; } .store { text-align: center; font-size: 11px; }
  table { width: 100%; border-collapse: collapse; } td { vertical-align: top; padding: 1px 0; } td.r { text-align: right; white-space: nowrap; }
  .logo { text-align: center; } .logo img { max-width: 60%; max-height: 18mm; filter: grayscale(1); }
  td.name { padding-top: 3px; } hr { border: 0; border-top: 1px dashed #000; margin: 4px 0; }
  .total { font-size: 14px; font-weight: bold; } .upper { font-size: 11px; } .foot { text-align: center; font-size: 11px; margin-top: 6px; }
  @media screen { body { margin: 12px auto; padding: 8px; box-shadow: 0 0 4px #999; } }
</style></head>
<body onload="window.print && setTimeout(() => window.print(), 200)">
  ${context.logoUrl ? `<div class="logo"><img src="${escapeHtml(context.logoUrl)}" alt=""></div>` : ''}
  <h1>${escapeHtml(context.tenantName)}</h1>
  <div class="store">${escapeHtml(context.store.name)}${context.store.address ? `<br>${escapeHtml(context.store.address)}` : ''}${context.store.phone ? `<br>电话 ${escapeHtml(context.store.phone)}` : ''}</div>
  ${context.header ? `<div class="store">${escapeHtml(context.header)}</div>` : ''}
  <hr>
  <div>单号：${escapeHtml(order.number)}</div>
  <div>日期：${escapeHtml(order.placedAt ? new Date(order.placedAt).toLocaleString('zh-CN', { hour12: false, timeZone: context.timezone }) : order.businessDate)}</div>
  <div>客户：${escapeHtml(order.customerName)}　${escapeHtml(context.maskedPhone)}</div>
  <div>类型：${escapeHtml(order.orderType)}　${escapeHtml(visitTypeLabels[order.visitType])}</div>
  <hr>
  <table>${rows}</table>
  <hr>
  <table>
    <tr class="total"><td>合计</td><td class="r" colspan="2">${formatYuan(order.totalFen)}</td></tr>
    ${order.refundedFen ? `<tr><td>已退</td><td class="r" colspan="2">-${formatYuan(order.refundedFen)}</td></tr>` : ''}
    <tr><td colspan="3" class="upper">大写：${toChineseUppercase(order.dueFen)}</td></tr>
    ${paymentRows}
    <tr><td>实收</td><td class="r" colspan="2">${formatYuan(order.paidFen)}</td></tr>
    ${order.arrearsFen ? `<tr class="total"><td>欠费</td><td class="r" colspan="2">${formatYuan(order.arrearsFen)}</td></tr>` : ''}
  </table>
  <hr>
  <div class="foot">打印时间 ${escapeHtml(context.printedAt)}<br>${escapeHtml(context.footer ?? '谢谢惠顾，欢迎再次光临')}</div>
</body></html>`;
};
