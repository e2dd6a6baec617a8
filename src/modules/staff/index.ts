// What flows and other modules may call.

export { installAuth } from './auth-hook.js';
export { staffRoutes } from './routes.js';
export { createStaffUser, staffExists, staffNames } from './service.js';
export { staffUsers } from './tables.js';
