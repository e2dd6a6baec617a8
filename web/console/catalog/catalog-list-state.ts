import type { ItemKind, ItemsQuery } from '../../shared/api-models';
import { isItemKind } from './item-kinds';

/** What the item list shows, kept in the address bar like the customer list. */
export type CatalogListState = {
  q: string;
  kind?: ItemKind;
  categoryId?: string;
  includeInactive: boolean;
  page: number;
  pageSize: number;
};

const defaultPageSize = 20;
const pageSizes = [10, 20, 50, 100];

const positiveInt = (value: string | null, fallback: number) => {
  const parsed = Number(value);
  return Number.isInteger(parsed) && parsed > 0 ? parsed : fallback;
};

export const readCatalogState = (params: URLSearchParams): CatalogListState => {
  const kind = params.get('kind');
  const pageSize = positiveInt(params.get('pageSize'), defaultPageSize);
  return {
    q: params.get('q') ?? '',
    kind: isItemKind(kind) ? kind : undefined,
    categoryId: params.get('categoryId')?.trim() || undefined,
    includeInactive: params.get('includeInactive') === 'true',
    page: positiveInt(params.get('page'), 1),
    pageSize: pageSizes.includes(pageSize) ? pageSize : defaultPageSize,
  };
};

export const writeCatalogState = (state: CatalogListState, base: URLSearchParams): URLSearchParams => {
  const params = new URLSearchParams(base);
  const entries: [string, string | number | undefined][] = [
    ['q', state.q.trim() || undefined],
    ['kind', state.kind],
    ['categoryId', state.categoryId],
    ['includeInactive', state.includeInactive ? 'true' : undefined],
    ['page', state.page === 1 ? undefined : state.page],
    ['pageSize', state.pageSize === defaultPageSize ? undefined : state.pageSize],
  ];
  for (const [key, value] of entries) {
    if (value === undefined) params.delete(key);
    else params.set(key, String(value));
  }
  return params;
};

export const toItemsQuery = (state: CatalogListState): ItemsQuery => ({
  page: state.page,
  pageSize: state.pageSize,
  ...(state.q.trim() ? { q: state.q.trim() } : {}),
  ...(state.kind ? { kind: state.kind } : {}),
  ...(state.categoryId ? { categoryId: state.categoryId } : {}),
  ...(state.includeInactive ? { includeInactive: 'true' as const } : {}),
});
