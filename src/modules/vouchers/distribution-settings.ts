import { defineSetting } from '../settings/index.js';
import { type VoucherDistributionSettings, ZVoucherDistributionSettings } from './distribution-schemas.js';

/** 发券与到期提醒: when to remind customers of vouchers about to expire, and how long a tier's upgrade gift lasts. */
export const voucherDistributionSetting = defineSetting<VoucherDistributionSettings>({
  key: 'voucher_distribution',
  schema: ZVoucherDistributionSettings,
  label: '发券与到期提醒',
  defaults: { reminderDaysBefore: [3], upgradeGiftValidDays: 90 },
});
