// What flows and other modules may call.
export { type CustomerRow, getCustomerRow } from './service.js';
