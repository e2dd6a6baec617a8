/** Messaging (SPEC §14): topics and templates, the sending rules, the dispatcher, the message log, consent and opt-outs. */

export { logSmsChannel, type SmsChannel } from './dev-channel.js';
export { messagingPortalRoutes, messagingRoutes } from './routes.js';
export { isOptOutReply } from './rules.js';
export { logSender, type SmsSender, type SmsSenderFactory, smsSenderFactory } from './senders.js';
export { type Consents, dispatchDueEvents, flagLostSends, hasSmsChannel, type MessagingDeps, saveConsents, sendCodeSms, sendQueuedSms } from './service.js';
export { messagingSetting } from './settings.js';
export { messages } from './tables.js';
export { topics } from './templates.js';

/** SMS providers from the environment's keys (none until a provider's keys are set). */
export const smsProvidersFromEnv = (_env: NodeJS.ProcessEnv) => ({});
