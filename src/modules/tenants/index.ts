// What flows and other modules may call.
export { getTenant, listStores, storeExists } from './service.js';
