// What flows and other modules may call.

export { type LineKind, lineKinds } from './line-kinds.js';
export { catalogRoutes } from './routes.js';
export type { ItemView } from './schemas.js';
export { createCategory, createItem, getItemRow, type ItemRow, itemsByIds, listCategories, listItems, packageContentsOf, updateItem } from './service.js';
export { itemCategories, items } from './tables.js';
