/** Follow-ups (回访, SPEC §13): rules that create tasks after treatments and visits, the tasks and their outcomes, call campaigns. */
export { followupCampaignRoutes } from './campaign-routes.js';
export { campaignJobKind, cancelCampaign, createCampaign, runCampaignJobStep } from './campaigns.js';
export { followupRoutes } from './routes.js';
export { createDueTasks, recordOutcome } from './service.js';
export { followupCampaigns, followupRules, followupTasks } from './tables.js';
