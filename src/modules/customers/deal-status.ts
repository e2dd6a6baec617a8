/** A customer's 成交 status, from how many of her orders counted as a deal. */
export const dealStatuses = ['none', 'first', 'repeat'] as const;
export type DealStatus = (typeof dealStatuses)[number];

export const dealStatusOf = (dealCount: number): DealStatus => (dealCount <= 0 ? 'none' : dealCount === 1 ? 'first' : 'repeat');
