import { and, eq, inArray } from 'drizzle-orm';
import type { Executor } from '../../db/client.js';
import { getSetting } from '../settings/index.js';
import { toTemplateView, voucherTemplates } from '../vouchers/index.js';
import { rewardLines } from './rules.js';
import { referralSettingsSetting } from './settings.js';

/** What the programme promises now, in customer-facing lines (the poster, the invite page), with voucher titles. */
export const programmeLines = async (tx: Executor, tenantId: string): Promise<string[]> => {
  const settings = await getSetting(tx, tenantId, referralSettingsSetting);
  const ids = [settings.deal.referrerVoucherTemplateId, settings.deal.referredVoucherTemplateId, settings.registration.referrerVoucherTemplateId].filter(
    (id): id is string => Boolean(id),
  );
  const rows =
    ids.length === 0
      ? []
      : await tx
          .select()
          .from(voucherTemplates)
          .where(and(eq(voucherTemplates.tenantId, tenantId), inArray(voucherTemplates.id, ids)));
  const titleOf = (id: string | null) => {
    const row = id ? rows.find((entry) => entry.id === id && entry.isActive) : undefined;
    return row ? toTemplateView(row).title : null;
  };
  return rewardLines(settings, {
    dealReferrer: titleOf(settings.deal.referrerVoucherTemplateId),
    dealReferred: titleOf(settings.deal.referredVoucherTemplateId),
    registrationReferrer: titleOf(settings.registration.referrerVoucherTemplateId),
  });
};

/** The portal's registration link with her code, on the host the request came to (so it works on-premise and behind the clinic's domain). */
export const inviteUrl = (origin: string, tenantCode: string, code: string) =>
  `${origin}/m/?clinic=${encodeURIComponent(tenantCode)}&ref=${encodeURIComponent(code)}`;

/** scheme://host[:port] of a request, as the client reached it. */
export const originOf = (req: { protocol: string; host: string }) => `${req.protocol}://${req.host}`;
