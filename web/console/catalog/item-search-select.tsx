import { Select } from 'antd';
import { type CSSProperties, useState } from 'react';
import type { Item, ItemKind } from '../../shared/api-models';
import { formatYuan } from '../../shared/money';
import { useDebouncedValue } from '../common/use-debounced-value';
import { useItemSearch } from './catalog-queries';

type ItemOption = { value: string; label: string };

type CommonProps = {
  /** Set by Form.Item, which also links the label to this id. */
  id?: string;
  kind?: ItemKind;
  placeholder?: string;
  'aria-label'?: string;
  /** Names of values chosen before anything was searched, e.g. an appointment's items. */
  initialOptions?: readonly { id: string; name: string }[];
  excludeIds?: readonly string[];
  style?: CSSProperties;
};

type ItemSearchSelectProps =
  | (CommonProps & { mode: 'multiple'; value?: string[]; onChange?: (value: string[]) => void })
  | (CommonProps & { mode?: undefined; value?: string; onChange?: (value: string | undefined) => void });

const optionOf = (item: Item): ItemOption => ({ value: item.id, label: `${item.name}（${item.shortCode} · ${formatYuan(item.priceFen)}）` });

/** Picks items by the desk's one-box search: short code (SGZS), pinyin initials or part of the name. */
export const ItemSearchSelect = (props: ItemSearchSelectProps) => {
  const { id, kind, placeholder, initialOptions = [], excludeIds = [], style, 'aria-label': ariaLabel } = props;
  const [term, setTerm] = useState('');
  const debouncedTerm = useDebouncedValue(term, 250);
  const search = useItemSearch(debouncedTerm, kind);
  // Labels of everything picked so far, so chosen values keep their names when the search changes.
  const [known, setKnown] = useState<ReadonlyMap<string, string>>(() => new Map(initialOptions.map((option) => [option.id, option.name])));

  const found = (search.data?.items ?? []).filter((item) => !excludeIds.includes(item.id)).map(optionOf);
  const chosen = props.mode === 'multiple' ? (props.value ?? []) : props.value ? [props.value] : [];
  const options = [...found];
  for (const value of chosen) {
    if (!options.some((option) => option.value === value)) options.push({ value, label: known.get(value) ?? value });
  }

  const remember = (picked: ItemOption | ItemOption[] | undefined) => {
    const list = Array.isArray(picked) ? picked : picked ? [picked] : [];
    if (list.length === 0) return;
    setKnown((current) => new Map([...current, ...list.map((option): [string, string] => [option.value, option.label])]));
  };

  const shared = {
    id,
    'aria-label': ariaLabel,
    placeholder,
    style,
    allowClear: true,
    showSearch: { filterOption: false, onSearch: setTerm, searchValue: term },
    loading: search.isFetching,
    options,
  };

  if (props.mode === 'multiple') {
    return (
      <Select<string[], ItemOption>
        {...shared}
        mode="multiple"
        value={props.value}
        onChange={(next, option) => {
          remember(option);
          setTerm('');
          props.onChange?.(next);
        }}
      />
    );
  }
  return (
    <Select<string, ItemOption>
      {...shared}
      value={props.value}
      onChange={(next, option) => {
        remember(option);
        setTerm('');
        props.onChange?.(next);
      }}
    />
  );
};
