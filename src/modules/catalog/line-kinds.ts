/** What an order line sells; the catalogue's items carry one, deal rules and pricing read it. */
export const lineKinds = ['service', 'goods', 'drug', 'package', 'card'] as const;
export type LineKind = (typeof lineKinds)[number];
