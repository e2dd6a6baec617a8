import { Button, Checkbox, Flex, Select } from 'antd';
import { useTranslation } from 'react-i18next';
import type { StaffMember } from '../../shared/api-models';
import { useVisitTypeOptions } from '../visits/visit-types';
import { type CustomerListFilters, upcomingReasons } from './customer-list-state';
import { useCustomerTags } from './customer-queries';
import { useActivityOptions, useDealStatusOptions } from './dynamic-tag-options';
import { useGenderOptions, useSourceChannelOptions, useStaffOptions } from './options';

type CustomerFiltersProps = {
  filters: CustomerListFilters;
  staff: readonly StaffMember[];
  onChange: (filters: CustomerListFilters) => void;
};

const selectWidth = { width: 160 };

export const CustomerFilters = ({ filters, staff, onChange }: CustomerFiltersProps) => {
  const { t } = useTranslation();
  const tags = useCustomerTags();
  const genderOptions = useGenderOptions();
  const sourceChannelOptions = useSourceChannelOptions();
  const staffOptions = useStaffOptions(staff);
  const dealStatusOptions = useDealStatusOptions();
  const activityOptions = useActivityOptions();
  const visitTypeOptions = useVisitTypeOptions();
  const isFiltered = Object.values(filters).some((value) => value !== undefined);

  return (
    <Flex wrap gap="small">
      <Select
        aria-label={t('customers.filters.gender')}
        placeholder={t('customers.filters.gender')}
        allowClear
        style={selectWidth}
        value={filters.gender}
        options={genderOptions}
        onChange={(gender) => onChange({ ...filters, gender })}
      />
      <Select
        aria-label={t('customers.filters.tag')}
        placeholder={t('customers.filters.tag')}
        allowClear
        showSearch={{ optionFilterProp: 'label' }}
        style={selectWidth}
        value={filters.tag}
        loading={tags.isPending}
        options={(tags.data?.items ?? []).map((item) => ({ value: item.tag, label: `${item.tag} (${item.count})` }))}
        onChange={(tag) => onChange({ ...filters, tag })}
      />
      <Select
        aria-label={t('customers.filters.allergy')}
        placeholder={t('customers.filters.allergy')}
        allowClear
        style={selectWidth}
        value={filters.hasAllergy}
        options={[
          { value: 'true' as const, label: t('customers.filters.hasAllergy') },
          { value: 'false' as const, label: t('customers.filters.noAllergy') },
        ]}
        onChange={(hasAllergy) => onChange({ ...filters, hasAllergy })}
      />
      <Select
        aria-label={t('customers.filters.consultant')}
        placeholder={t('customers.filters.consultant')}
        allowClear
        showSearch={{ optionFilterProp: 'label' }}
        style={{ width: 200 }}
        value={filters.consultantId}
        options={staffOptions}
        onChange={(consultantId) => onChange({ ...filters, consultantId })}
      />
      <Select
        aria-label={t('customers.filters.sourceChannel')}
        placeholder={t('customers.filters.sourceChannel')}
        allowClear
        style={selectWidth}
        value={filters.sourceChannel}
        options={sourceChannelOptions}
        onChange={(sourceChannel) => onChange({ ...filters, sourceChannel })}
      />
      <Select
        aria-label={t('dynamicTags.filters.dealStatus')}
        placeholder={t('dynamicTags.filters.dealStatus')}
        allowClear
        style={selectWidth}
        value={filters.dealStatus}
        options={dealStatusOptions}
        onChange={(dealStatus) => onChange({ ...filters, dealStatus })}
      />
      <Select
        aria-label={t('dynamicTags.filters.activity')}
        placeholder={t('dynamicTags.filters.activity')}
        allowClear
        style={selectWidth}
        value={filters.activity}
        options={activityOptions}
        onChange={(activity) => onChange({ ...filters, activity })}
      />
      <Select
        aria-label={t('dynamicTags.filters.lastVisitType')}
        placeholder={t('dynamicTags.filters.lastVisitType')}
        allowClear
        style={selectWidth}
        value={filters.lastVisitType}
        options={visitTypeOptions}
        onChange={(lastVisitType) => onChange({ ...filters, lastVisitType })}
      />
      <Select
        aria-label={t('dynamicTags.filters.arrears')}
        placeholder={t('dynamicTags.filters.arrears')}
        allowClear
        style={selectWidth}
        value={filters.hasArrears}
        options={[
          { value: 'true' as const, label: t('dynamicTags.filters.hasArrears') },
          { value: 'false' as const, label: t('dynamicTags.filters.noArrears') },
        ]}
        onChange={(hasArrears) => onChange({ ...filters, hasArrears })}
      />
      <Checkbox
        checked={filters.bookedNotArrived === 'true'}
        onChange={(event) => onChange({ ...filters, bookedNotArrived: event.target.checked ? 'true' : undefined })}
        style={{ alignSelf: 'center' }}
      >
        {t('dynamicTags.filters.bookedNotArrived')}
      </Checkbox>
      <Select
        aria-label={t('dynamicTags.filters.upcoming')}
        placeholder={t('dynamicTags.filters.upcoming')}
        allowClear
        style={{ width: 200 }}
        value={filters.upcoming}
        options={upcomingReasons.map((reason) => ({ value: reason, label: t(`dynamicTags.filters.upcomingReasons.${reason}`) }))}
        onChange={(upcoming) => onChange({ ...filters, upcoming })}
      />
      {isFiltered && <Button onClick={() => onChange({})}>{t('common.reset')}</Button>}
    </Flex>
  );
};
