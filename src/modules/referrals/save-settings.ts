import { and, eq, inArray } from 'drizzle-orm';
import type { Executor } from '../../db/client.js';
import type { Actor } from '../../platform/audit.js';
import { DomainError, type ErrorDetail } from '../../platform/errors.js';
import { forbiddenWordsIn } from '../membership/index.js';
import { putSetting } from '../settings/index.js';
import { voucherTemplates } from '../vouchers/index.js';
import { type ReferralSettings, referralSettingsSetting } from './settings.js';

/**
 * Saves the referral settings after what the schema cannot check: reward vouchers must be this
 * clinic's active templates, and level benefits (customer-facing) must pass the advertising
 * wording check. There is no cash field to check: the schema has none and refuses unknown ones.
 */
export const saveReferralSettings = async (tx: Executor, actor: Actor, value: ReferralSettings): Promise<ReferralSettings> => {
  const templateFields: [string, string | null][] = [
    ['body.deal.referrerVoucherTemplateId', value.deal.referrerVoucherTemplateId],
    ['body.deal.referredVoucherTemplateId', value.deal.referredVoucherTemplateId],
    ['body.registration.referrerVoucherTemplateId', value.registration.referrerVoucherTemplateId],
  ];
  const ids = [...new Set(templateFields.flatMap(([, id]) => (id ? [id] : [])))];
  const found =
    ids.length === 0
      ? []
      : await tx
          .select({ id: voucherTemplates.id, isActive: voucherTemplates.isActive })
          .from(voucherTemplates)
          .where(and(eq(voucherTemplates.tenantId, actor.tenantId), inArray(voucherTemplates.id, ids)));
  const problems: ErrorDetail[] = [];
  for (const [path, id] of templateFields) {
    if (!id) continue;
    const template = found.find((row) => row.id === id);
    if (!template) problems.push({ path, message: '券模板不存在' });
    else if (!template.isActive) problems.push({ path, message: '券模板已停发' });
  }
  for (const [index, level] of value.partnerLevels.entries()) {
    for (const field of ['name', 'benefits'] as const) {
      const words = forbiddenWordsIn(level[field]);
      if (words.length > 0) problems.push({ path: `body.partnerLevels.${index}.${field}`, message: `含广告法禁用词：${words.join('、')}` });
    }
  }
  if (problems.length > 0) throw new DomainError('rule', 'REFERRAL_SETTINGS_INVALID', problems.map((problem) => problem.message).join('；'), problems);
  return putSetting(tx, actor, referralSettingsSetting, value);
};
