import type { Item, ItemInput, ItemKind } from '../../shared/api-models';
import { fenToYuanText, parseYuan } from '../../shared/money';
import { isCourseKind } from './item-kinds';

export type ItemContentValues = { itemId?: string; sessions?: number };

/** The form's values: the price as the yuan text typed, turned into fen only when saving. */
export type ItemFormValues = {
  kind: ItemKind;
  name: string;
  categoryId?: string;
  shortCode?: string;
  price: string;
  unit?: string;
  isActive: boolean;
  validityDays?: number | null;
  contents: ItemContentValues[];
};

export const emptyItemForm = (): ItemFormValues => ({ kind: 'service', name: '', price: '', isActive: true, contents: [] });

export const itemToForm = (item: Item): ItemFormValues => ({
  kind: item.kind,
  name: item.name,
  categoryId: item.categoryId ?? undefined,
  shortCode: item.shortCode,
  price: fenToYuanText(item.priceFen),
  unit: item.unit,
  isActive: item.isActive,
  validityDays: item.validityDays,
  contents: item.contents.map((content) => ({ itemId: content.itemId, sessions: content.sessions })),
});

/**
 * The request body. An empty short code is left out so the server makes one from the name's
 * pinyin; validity and contents are sent only for packages and cards.
 */
export const formToItemInput = (values: ItemFormValues): ItemInput => {
  const shortCode = values.shortCode?.trim();
  const unit = values.unit?.trim();
  const input: ItemInput = {
    kind: values.kind,
    name: values.name.trim(),
    categoryId: values.categoryId ?? null,
    priceFen: parseYuan(values.price) ?? 0,
    isActive: values.isActive,
    ...(shortCode ? { shortCode } : {}),
    ...(unit ? { unit } : {}),
  };
  if (isCourseKind(values.kind)) {
    input.validityDays = values.validityDays ?? null;
    input.contents = values.contents.flatMap((content) => (content.itemId ? [{ itemId: content.itemId, sessions: content.sessions ?? 1 }] : []));
  }
  return input;
};
