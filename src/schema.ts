// Every table of the app, for Drizzle's query builder and for generating migrations.
export * from './modules/cards/tables.js';
export * from './modules/catalog/tables.js';
export * from './modules/customers/tables.js';
export * from './modules/membership/tables.js';
export * from './modules/messaging/tables.js';
export * from './modules/orders/tables.js';
export * from './modules/points/calendar.js';
export * from './modules/points/tables.js';
export * from './modules/portal/tables.js';
export * from './modules/referrals/tables.js';
export * from './modules/settings/tables.js';
export * from './modules/staff/tables.js';
export * from './modules/tenants/tables.js';
export * from './modules/visits/tables.js';
export * from './modules/vouchers/tables.js';
export { jobs } from './platform/jobs.js';
export * from './platform/outbox.js';
export * from './platform/tables.js';
