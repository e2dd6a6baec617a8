import { Flex, type RefSelectProps, Select, Tag, Typography } from 'antd';
import { type RefObject, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Customer } from '../../shared/api-models';
import { formatYuan } from '../../shared/money';
import { useDebouncedValue } from '../common/use-debounced-value';
import { AllergyIcon } from '../customers/allergy-icon';
import { useCustomerSearch } from '../customers/customer-queries';
import { useEnterPicksFirst } from './use-enter-picks-first';

type MemberOption = { value: string; label: string; customer: Customer };

const optionOf = (customer: Customer): MemberOption => ({ value: customer.id, label: `${customer.name}（${customer.phone}）`, customer });

type MemberBoxProps = {
  value: Customer | undefined;
  onChange: (customer: Customer | undefined) => void;
  selectRef?: RefObject<RefSelectProps | null>;
  id?: string;
  'aria-label'?: string;
  placeholder?: string;
  autoFocus?: boolean;
};

/** One box for the member: phone tail, pinyin initials or name; ↑↓ and Enter pick, Enter alone takes the first match. */
export const MemberBox = ({ value, onChange, selectRef, id, placeholder, autoFocus, 'aria-label': ariaLabel }: MemberBoxProps) => {
  const { t } = useTranslation();
  const [term, setTerm] = useState('');
  const [isOpen, setIsOpen] = useState(false);
  const debounced = useDebouncedValue(term.trim(), 200);
  const search = useCustomerSearch(debounced);
  const isSearching = term.trim() !== '';
  const fresh = isSearching && debounced === term.trim() ? search.data?.items : undefined;

  const pick = (customer: Customer) => {
    setTerm('');
    setIsOpen(false);
    onChange(customer);
  };
  const { onInputKeyDown } = useEnterPicksFirst({ term, fresh, onPick: pick });

  const options = isSearching ? (fresh ?? []).map(optionOf) : value ? [optionOf(value)] : [];

  return (
    <Select<string, MemberOption>
      ref={selectRef}
      id={id}
      aria-label={ariaLabel}
      size="large"
      style={{ width: '100%' }}
      autoFocus={autoFocus}
      value={value?.id ?? null}
      placeholder={placeholder}
      allowClear
      showSearch={{ filterOption: false, onSearch: setTerm, searchValue: term }}
      // Controlled, so a pick made by Enter before the answer arrived closes it too.
      open={isOpen}
      onOpenChange={setIsOpen}
      loading={isSearching && !fresh}
      notFoundContent={isSearching && fresh ? t('customers.emptyText') : null}
      options={options}
      onInputKeyDown={onInputKeyDown}
      optionRender={(option) => {
        const customer = option.data.customer;
        return (
          <Flex justify="space-between" align="center" gap="small">
            <Flex gap={6} align="center">
              <Typography.Text strong>{customer.name}</Typography.Text>
              <Typography.Text type="secondary" style={{ fontVariantNumeric: 'tabular-nums' }}>
                {customer.phone}
              </Typography.Text>
              <AllergyIcon allergies={customer.allergies} />
            </Flex>
            {customer.arrearsFen > 0 && (
              <Tag color="red">
                {t('checkout.summary.arrears')} {formatYuan(customer.arrearsFen)}
              </Tag>
            )}
          </Flex>
        );
      }}
      onChange={(_, option) => {
        if (!option || Array.isArray(option)) {
          setTerm('');
          onChange(undefined);
          return;
        }
        pick(option.customer);
      }}
    />
  );
};
