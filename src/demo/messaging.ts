import type { Tx } from '../db/client.js';
import { saveConsents } from '../modules/messaging/index.js';
import { systemActor } from '../platform/audit.js';

/**
 * The demo clinic's marketing consent: three in five members accept messages in the member
 * portal, one in five also by SMS; the rest never said yes, so the message log shows marketing
 * stopped for want of consent. By position, so the rest of the demo's random data stays as it was.
 */
export const seedDemoConsents = async (tx: Tx, input: { tenantId: string; customers: readonly { id: string }[]; now: Date }) => {
  const actor = systemActor(input.tenantId);
  for (const [index, customer] of input.customers.entries()) {
    if (index % 5 >= 3) continue;
    await saveConsents(tx, actor, customer.id, { portal: true, sms: index % 5 === 0 }, 'staff', input.now);
  }
};
