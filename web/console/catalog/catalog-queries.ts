import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, unwrap } from '../../shared/api';
import type { ItemCategoryInput, ItemInput, ItemKind, ItemPatch, ItemsQuery } from '../../shared/api-models';

export const catalogKeys = {
  all: ['catalog'] as const,
  items: (query: ItemsQuery) => ['catalog', 'items', query] as const,
  search: (term: string, kind: ItemKind | undefined) => ['catalog', 'search', term, kind ?? 'any'] as const,
  categories: ['catalog', 'categories'] as const,
};

export const useItems = (query: ItemsQuery) =>
  useQuery({
    queryKey: catalogKeys.items(query),
    queryFn: () => unwrap(api.GET('/api/v1/items', { params: { query } })),
    placeholderData: keepPreviousData,
  });

/** Active items matching a search box (short code, pinyin or name), for pickers; the first page when the box is empty. */
export const useItemSearch = (term: string, kind?: ItemKind) =>
  useQuery({
    queryKey: catalogKeys.search(term.trim(), kind),
    queryFn: () =>
      unwrap(api.GET('/api/v1/items', { params: { query: { pageSize: 20, ...(term.trim() ? { q: term.trim() } : {}), ...(kind ? { kind } : {}) } } })),
    placeholderData: keepPreviousData,
    staleTime: 60_000,
  });

export const useItemCategories = () =>
  useQuery({
    queryKey: catalogKeys.categories,
    queryFn: () => unwrap(api.GET('/api/v1/item-categories')),
    staleTime: 60_000,
  });

/** Item lists, pickers and category counts all change when one item does. */
const useInvalidateCatalog = () => {
  const queryClient = useQueryClient();
  return () => queryClient.invalidateQueries({ queryKey: catalogKeys.all });
};

export const useCreateItem = () => {
  const invalidate = useInvalidateCatalog();
  return useMutation({
    mutationFn: (input: ItemInput) => unwrap(api.POST('/api/v1/items', { body: input })),
    onSuccess: invalidate,
  });
};

export const useUpdateItem = (id: string) => {
  const invalidate = useInvalidateCatalog();
  return useMutation({
    mutationFn: (patch: ItemPatch) => unwrap(api.PATCH('/api/v1/items/{id}', { params: { path: { id } }, body: patch })),
    onSuccess: invalidate,
  });
};

export const useCreateCategory = () => {
  const invalidate = useInvalidateCatalog();
  return useMutation({
    mutationFn: (input: ItemCategoryInput) => unwrap(api.POST('/api/v1/item-categories', { body: input })),
    onSuccess: invalidate,
  });
};
