import { Select } from 'antd';
import { type CSSProperties, useState } from 'react';
import { useDebouncedValue } from '../common/use-debounced-value';
import { useCustomerSearch } from './customer-queries';

type CustomerOption = { value: string; label: string };

type CustomerSearchSelectProps = {
  /** Set by Form.Item, which also links the label to this id. */
  id?: string;
  value?: string;
  onChange?: (value: string | undefined) => void;
  placeholder?: string;
  'aria-label'?: string;
  /** Customers who must not be offered, e.g. the one being edited. */
  excludeIds?: readonly string[];
  /** The label of the current value before anything was searched, e.g. the recorded referrer. */
  initialOption?: { id: string; name: string } | null;
  style?: CSSProperties;
};

/** Picks a customer by the same one-box search as the list: name, pinyin initials or phone tail. */
export const CustomerSearchSelect = ({
  id,
  value,
  onChange,
  placeholder,
  excludeIds = [],
  initialOption,
  style,
  'aria-label': ariaLabel,
}: CustomerSearchSelectProps) => {
  const [term, setTerm] = useState('');
  const debouncedTerm = useDebouncedValue(term, 250);
  const search = useCustomerSearch(debouncedTerm);
  const [picked, setPicked] = useState<CustomerOption | undefined>();

  const found: CustomerOption[] = (search.data?.items ?? [])
    .filter((customer) => !excludeIds.includes(customer.id))
    .map((customer) => ({ value: customer.id, label: `${customer.name}（${customer.phone}）` }));
  const known = [picked, initialOption ? { value: initialOption.id, label: initialOption.name } : undefined];
  const options = [...found];
  for (const option of known) {
    if (option && option.value === value && !options.some((existing) => existing.value === option.value)) options.push(option);
  }

  return (
    <Select<string, CustomerOption>
      id={id}
      aria-label={ariaLabel}
      style={style}
      value={value}
      placeholder={placeholder}
      allowClear
      showSearch={{ filterOption: false, onSearch: setTerm, searchValue: term }}
      loading={search.isFetching}
      notFoundContent={null}
      options={options}
      onChange={(next, option) => {
        setPicked(Array.isArray(option) ? undefined : option);
        setTerm('');
        onChange?.(next);
      }}
    />
  );
};
