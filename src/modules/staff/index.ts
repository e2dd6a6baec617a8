// What flows and other modules may call.
export { staffExists, staffNames } from './service.js';
