/** Follow-ups (回访, SPEC §13): rules that create tasks after treatments and visits, the tasks and their outcomes. */
export { followupRoutes } from './routes.js';
export { createDueTasks } from './service.js';
export { followupRules, followupTasks } from './tables.js';
