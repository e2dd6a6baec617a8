// What flows and other modules may call.
export { getItemRow, type ItemRow, itemsByIds } from './service.js';
