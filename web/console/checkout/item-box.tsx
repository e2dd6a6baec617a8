import { useQuery } from '@tanstack/react-query';
import { Flex, type RefSelectProps, Select, Tag, Typography } from 'antd';
import { type RefObject, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../shared/api';
import type { Item } from '../../shared/api-models';
import { formatYuan } from '../../shared/money';
import { useDebouncedValue } from '../common/use-debounced-value';
import { useEnterPicksFirst } from './use-enter-picks-first';

/** Active items matching a short code (SGZ), pinyin or part of the name. */
const useItemSearch = (term: string) =>
  useQuery({
    queryKey: ['items', 'search', term],
    queryFn: () => unwrap(api.GET('/api/v1/items', { params: { query: { q: term, pageSize: 10 } } })),
    enabled: term.length > 0,
    staleTime: 60_000,
  });

type ItemOption = { value: string; label: string; item: Item };

type ItemBoxProps = {
  onAdd: (item: Item) => void;
  selectRef?: RefObject<RefSelectProps | null>;
  disabled?: boolean;
  id?: string;
  'aria-label'?: string;
  placeholder?: string;
};

/** Type a short code or pinyin, Enter adds the first match; the box stays focused for the next one. */
export const ItemBox = ({ onAdd, selectRef, disabled, id, placeholder, 'aria-label': ariaLabel }: ItemBoxProps) => {
  const { t } = useTranslation();
  const [term, setTerm] = useState('');
  const [isOpen, setIsOpen] = useState(false);
  const debounced = useDebouncedValue(term.trim(), 150);
  const search = useItemSearch(debounced);
  const isSearching = term.trim() !== '';
  const fresh = isSearching && debounced === term.trim() ? search.data?.items : undefined;

  const add = (item: Item) => {
    setTerm('');
    setIsOpen(false);
    onAdd(item);
  };
  const { onInputKeyDown } = useEnterPicksFirst({ term, fresh, onPick: add });
  const options: ItemOption[] = (fresh ?? []).map((item) => ({ value: item.id, label: `${item.shortCode} ${item.name}`, item }));

  return (
    <Select<string | null, ItemOption>
      ref={selectRef}
      id={id}
      aria-label={ariaLabel}
      size="large"
      style={{ width: '100%' }}
      disabled={disabled}
      value={null}
      placeholder={placeholder}
      showSearch={{ filterOption: false, onSearch: setTerm, searchValue: term }}
      // Controlled, so a pick made by Enter before the answer arrived closes it too.
      open={isOpen}
      onOpenChange={setIsOpen}
      loading={isSearching && !fresh}
      notFoundContent={isSearching && fresh ? t('checkout.noItemFound') : null}
      options={options}
      onInputKeyDown={onInputKeyDown}
      optionRender={(option) => {
        const item = option.data.item;
        return (
          <Flex justify="space-between" align="center" gap="small">
            <Flex gap={6} align="center" style={{ minWidth: 0 }}>
              <Typography.Text code>{item.shortCode}</Typography.Text>
              <Typography.Text ellipsis>{item.name}</Typography.Text>
              <Tag>{t(`orders.kind.${item.kind}`)}</Tag>
            </Flex>
            <Typography.Text style={{ fontVariantNumeric: 'tabular-nums' }}>{formatYuan(item.priceFen)}</Typography.Text>
          </Flex>
        );
      }}
      onSelect={(_, option) => add(option.item)}
    />
  );
};
