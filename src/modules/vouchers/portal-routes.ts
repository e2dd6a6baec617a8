import { z } from 'zod';
import { businessDate } from '../../platform/clock.js';
import type { Deps } from '../../platform/deps.js';
import { DomainError } from '../../platform/errors.js';
import { type App, errorResponses, memberOf, ZIdParams } from '../../platform/http.js';
import { qrSvg } from '../../platform/qr.js';
import { voucherKinds, walletStatuses } from './schemas.js';
import { getWalletVoucherRow, listWallet, toVoucherView } from './wallet.js';

const tags = ['Member portal'];

/** A wallet voucher as its holder reads it: what it gives, where, until when — never internal ids of orders or staff. */
const ZPortalVoucher = z.object({
  id: z.uuid(),
  /** 「¥100 代金券（满¥500可用） · 限水光针 · 有效期至 2027-03-01」 */
  title: z.string(),
  name: z.string(),
  kind: z.enum(voucherKinds),
  scopeLabel: z.string(),
  description: z.string().nullable(),
  isStoreOnly: z.boolean(),
  validFrom: z.iso.date(),
  validTo: z.iso.date(),
  status: z.enum(walletStatuses),
  isExpiringSoon: z.boolean(),
  isUsableToday: z.boolean(),
  usedAt: z.string().nullable(),
});

const portalViewOf = (view: ReturnType<typeof toVoucherView>): z.infer<typeof ZPortalVoucher> => ({
  id: view.id,
  title: view.snapshot.title,
  name: view.snapshot.name,
  kind: view.snapshot.kind,
  scopeLabel: view.snapshot.scopeLabel,
  description: view.snapshot.description,
  isStoreOnly: !view.snapshot.channels.includes('mall'),
  validFrom: view.validFrom,
  validTo: view.validTo,
  status: view.status,
  isExpiringSoon: view.isExpiringSoon,
  isUsableToday: view.isUsableToday,
  usedAt: view.usedAt,
});

/** Registered in the portal's scope (/api/portal/v1), after its auth hook. */
export const voucherPortalRoutes = (app: App, { db, clock }: Deps) => {
  app.get(
    '/vouchers',
    {
      schema: {
        tags,
        summary: '我的券包: my vouchers — usable first (soonest ending first), then used, expired and voided',
        response: { 200: z.object({ items: z.array(ZPortalVoucher) }), ...errorResponses },
      },
    },
    async (req) => {
      const member = memberOf(req);
      const today = businessDate(clock.now(), member.timezone, member.dayStart);
      const wallet = await listWallet(db, { tenantId: member.tenantId, today }, member.customerId);
      return { items: wallet.map(portalViewOf) };
    },
  );

  app.get(
    '/vouchers/:id',
    {
      schema: {
        tags,
        summary: 'One of my vouchers with its single-use 核销码 and the code as a QR image (SVG) to show at the desk',
        params: ZIdParams,
        response: {
          200: ZPortalVoucher.extend({ code: z.string(), qrSvg: z.string().nullable() }),
          ...errorResponses,
        },
      },
    },
    async (req) => {
      const member = memberOf(req);
      const today = businessDate(clock.now(), member.timezone, member.dayStart);
      const row = await getWalletVoucherRow(db, member.tenantId, req.params.id);
      // Another customer's voucher is simply not found: its id must not tell her it exists.
      if (row.customerId !== member.customerId) throw new DomainError('not_found', 'VOUCHER_NOT_FOUND', '券不存在');
      const view = toVoucherView(row, today);
      // A code that can no longer be used is shown, for her records, but not as something to scan.
      return { ...portalViewOf(view), code: view.code, qrSvg: view.status === 'available' ? await qrSvg(view.code) : null };
    },
  );
};
