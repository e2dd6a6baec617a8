// What flows and other modules may call.

export { assertPasswordAcceptable } from './accounts.js';
export { installAuth } from './auth-hook.js';
export { passwordProblem } from './password-policy.js';
export { type CreateClinicFlow, staffRoutes } from './routes.js';
export { createStaffUser, type StaffUser, staffExists, staffNames } from './service.js';
export { staffUsers } from './tables.js';
