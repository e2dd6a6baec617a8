export { formatRate } from './explain.js';
export { percentOffFen, priceOrder } from './pricing.js';
export type * from './result.js';
export * from './schemas.js';
