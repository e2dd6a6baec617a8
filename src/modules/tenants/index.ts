// What flows and other modules may call.
export { clinicLogoRoutes, tenantRoutes } from './routes.js';
export { storeView, ZStore, ZTenantCode } from './schemas.js';
export {
  assertStoreOpen,
  createStore,
  createTenant,
  findTenantByCode,
  getTenant,
  hasAnyTenant,
  hasClinicLogo,
  listStores,
  listTenants,
  lockStoreForWrite,
  markStoreDayClosed,
  type Store,
  setStoreLastClosedDay,
  storeExists,
  type Tenant,
  tenantCodePattern,
} from './service.js';
export { stores, tenantLogos, tenants } from './tables.js';
