// What other modules, the flows and the app may use of audit: nothing else of it is reached from outside.
export { auditRoutes } from './routes.js';
