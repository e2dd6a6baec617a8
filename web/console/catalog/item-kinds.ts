import { useTranslation } from 'react-i18next';
import type { ItemKind } from '../../shared/api-models';

/** 品项类别, in the order the desk thinks of them. */
export const itemKinds: readonly ItemKind[] = ['service', 'goods', 'drug', 'package', 'card'];

export const isItemKind = (value: unknown): value is ItemKind => itemKinds.some((kind) => kind === value);

/** Packages and cards hold sessions of service items and create a course when sold. */
export const isCourseKind = (kind: ItemKind | undefined): boolean => kind === 'package' || kind === 'card';

export const itemKindColors: Record<ItemKind, string> = { service: 'magenta', goods: 'blue', drug: 'volcano', package: 'purple', card: 'gold' };

export const useItemKindOptions = () => {
  const { t } = useTranslation();
  return itemKinds.map((kind) => ({ value: kind, label: t(`catalog.kinds.${kind}`) }));
};
