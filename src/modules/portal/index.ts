// What other modules, the flows and the app may use of portal: nothing else of it is reached from outside.
export { portalRoutes } from './routes.js';
