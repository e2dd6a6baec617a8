// What flows and other modules may call.
export { createStore, createTenant, findTenantByCode, getTenant, listStores, storeExists, type Tenant } from './service.js';
export { stores, tenants } from './tables.js';
