import { cardsZhCN } from './cards-zh-CN';
import { cashierZhCN } from './cashier-zh-CN';
import { clinicSetupZhCN } from './clinic-setup-zh-CN';
import { customersZhCN } from './customers-zh-CN';
import { followupsZhCN } from './followups-zh-CN';
import { membershipZhCN } from './membership-zh-CN';
import { messagingZhCN } from './messaging-zh-CN';
import { operationsZhCN } from './operations-zh-CN';
import { pointsZhCN } from './points-zh-CN';
import { pricingZhCN } from './pricing-zh-CN';
import { referralsZhCN } from './referrals-zh-CN';
import { voucherDistributionZhCN } from './voucher-distribution-zh-CN';
import { vouchersZhCN } from './vouchers-zh-CN';

/**
 * The areas' zh-CN strings: a chunk of their own, added to i18next (`loadAreaStrings`) before the
 * first area page (other than the dashboard) renders, so the first screen does not carry them.
 */
export const zhCNAreas = {
  ...customersZhCN,
  ...operationsZhCN,
  ...cashierZhCN,
  ...clinicSetupZhCN,
  ...pointsZhCN,
  ...membershipZhCN,
  ...cardsZhCN,
  ...pricingZhCN,
  ...referralsZhCN,
  ...vouchersZhCN,
  ...voucherDistributionZhCN,
  ...messagingZhCN,
  ...followupsZhCN,
};
