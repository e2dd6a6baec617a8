/** Messaging (SPEC §14): topics and templates, the sending rules, the dispatcher, the message log, consent and opt-outs. */

export { automationsSetting, queueAutomations, queueCareMessages } from './automations.js';
export { callbackToken, smsCallbackRoutes } from './callbacks.js';
export { messageCampaignRoutes } from './campaign-routes.js';
export {
  createCampaign,
  deliverQueuedPortal,
  messageCampaignJobKind,
  runMessageCampaignJobStep,
  startDueCampaigns,
  suppressWithdrawnMarketing,
} from './campaigns.js';
export { logSmsChannel, type SmsChannel } from './dev-channel.js';
export { smsProvidersFromEnv } from './provider-senders.js';
export { wechatEndpointFromEnv } from './providers/wechat.js';
export { messagingPortalRoutes, messagingRoutes } from './routes.js';
export { isOptOutReply } from './rules.js';
export { logSender, type SmsSender, type SmsSenderFactory, smsSenderFactory } from './senders.js';
export {
  type Consents,
  dispatchDueEvents,
  flagLostSends,
  hasSmsChannel,
  type MessagingDeps,
  saveConsents,
  sendCodeSms,
  sendQueuedSms,
  sendQueuedWechat,
} from './service.js';
export { messagingSetting } from './settings.js';
export { messageCampaigns, messages } from './tables.js';
export { topics } from './templates.js';
