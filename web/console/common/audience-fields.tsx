import { Form, Input, Radio, Select } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useCustomerSearch } from '../customers/customer-queries';
import { AudienceFilterFields } from '../vouchers/audience-filter-fields';
import type { AudienceKind } from '../vouchers/distribution-form-values';
import { useDebouncedValue } from './use-debounced-value';

type CustomerOption = { value: string; label: string };

/** Several customers by the console's one-box search (name, pinyin initials, phone tail). */
const CustomersField = ({ value, onChange, id }: { value?: CustomerOption[]; onChange?: (next: CustomerOption[]) => void; id?: string }) => {
  const { t } = useTranslation();
  const [term, setTerm] = useState('');
  const search = useCustomerSearch(useDebouncedValue(term, 250));
  const options = (search.data?.items ?? []).map((customer) => ({ value: customer.id, label: `${customer.name}（${customer.phone}）` }));
  return (
    <Select<CustomerOption[], CustomerOption>
      id={id}
      mode="multiple"
      labelInValue
      value={value}
      onChange={(next) => {
        onChange?.(next);
        setTerm('');
      }}
      placeholder={t('voucherDistribution.form.customersPlaceholder')}
      showSearch={{ filterOption: false, onSearch: setTerm, searchValue: term }}
      loading={search.isFetching}
      notFoundContent={null}
      options={options}
    />
  );
};

/**
 * 发放对象 / 发送对象 inside a form: chosen customers, pasted phones or a filter (no order for N
 * days, activity, deal status, tags). The form holds the fields `audienceOf` reads.
 */
export const AudienceFields = ({ audienceKind, label, onChange }: { audienceKind: AudienceKind; label: string; onChange?: () => void }) => {
  const { t } = useTranslation();
  return (
    <>
      <Form.Item name="audienceKind" label={label}>
        <Radio.Group
          optionType="button"
          onChange={onChange}
          options={(['customers', 'phones', 'filter'] as const).map((value) => ({ value, label: t(`voucherDistribution.form.audienceKinds.${value}`) }))}
        />
      </Form.Item>
      {audienceKind === 'customers' && (
        <Form.Item
          name="customers"
          label={t('voucherDistribution.form.customers')}
          rules={[{ required: true, type: 'array', min: 1, message: t('voucherDistribution.form.customersRequired') }]}
        >
          <CustomersField onChange={onChange} />
        </Form.Item>
      )}
      {audienceKind === 'phones' && (
        <Form.Item
          name="phones"
          label={t('voucherDistribution.form.phones')}
          rules={[{ required: true, whitespace: true, message: t('voucherDistribution.form.phonesRequired') }]}
        >
          <Input.TextArea rows={6} placeholder={t('voucherDistribution.form.phonesPlaceholder')} onChange={onChange} />
        </Form.Item>
      )}
      {audienceKind === 'filter' && <AudienceFilterFields />}
    </>
  );
};
