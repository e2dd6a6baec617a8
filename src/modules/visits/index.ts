// What flows and other modules may call.
export { findDayVisit } from './service.js';
