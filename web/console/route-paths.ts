/**
 * Every path the console routes, in one module without imports, so that the router
 * (`routes.tsx`, `layout/nav-areas.tsx`) and the browser test that reloads each console page
 * read the same list: a new route is covered by that test without touching it.
 */

/** The areas in menu order: the area's own path first, then its other pages (e.g. a detail page). */
export const areaPaths = {
  dashboard: ['/'],
  customers: ['/customers', '/customers/:id'],
  appointments: ['/appointments', '/appointments/arrivals'],
  checkout: ['/checkout'],
  orders: ['/orders', '/orders/:id'],
  courses: ['/courses'],
  shift: ['/shift'],
  followups: ['/followups'],
  membership: ['/membership'],
  cards: ['/cards'],
  vouchers: ['/vouchers', '/vouchers/desk', '/vouchers/distributions', '/vouchers/stats'],
  referrals: ['/referrals'],
  messages: ['/messages'],
  catalog: ['/catalog'],
  settings: ['/settings'],
} as const;

export type AreaKey = keyof typeof areaPaths;
export type AreaPath = (typeof areaPaths)[AreaKey][number];

/** Pages outside the layout: signing in, the first start, and the receipt's print page. */
export const standalonePaths = { login: '/login', setup: '/setup', receipt: '/orders/:id/receipt' } as const;

/** Every console route path (parametrised ones with their `:param`). */
export const consolePaths: readonly string[] = [...Object.values(standalonePaths), ...Object.values(areaPaths).flat()];
