import { GiftOutlined, PlusOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Flex, Input, Space, Typography } from 'antd';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import type { Customer } from '../../shared/api-models';
import { useCan } from '../auth/me-context';
import { useErrorMessage } from '../common/error-message';
import { useDebouncedValue } from '../common/use-debounced-value';
import { DistributionFormDrawer } from '../vouchers/distribution-form-drawer';
import { DistributionJobCard } from '../vouchers/distribution-job';
import type { DistributionJob } from '../vouchers/distribution-queries';
import { CustomerFilters } from './customer-filters';
import { CustomerFormDrawer } from './customer-form-drawer';
import { type CustomerListFilters, type CustomerListState, readListState, toCustomersQuery, writeListState } from './customer-list-state';
import { useCustomerList, useStaff } from './customer-queries';
import { CustomerTable } from './customer-table';

export const CustomersPage = () => {
  const { t } = useTranslation();
  const canWrite = useCan('customers.write');
  const errorMessage = useErrorMessage();
  const [searchParams, setSearchParams] = useSearchParams();
  const state = readListState(searchParams);
  const [searchText, setSearchText] = useState(state.q);
  const debouncedSearch = useDebouncedValue(searchText, 300);
  const [isCreating, setIsCreating] = useState(false);
  // 批量发券 (seed 003: 客户管理 → 筛选 → 批量操作 → 批量发电子券): ticked customers straight into a batch distribution.
  const canDistribute = useCan('vouchers.manage');
  const [selected, setSelected] = useState<Customer[]>([]);
  const [isDistributing, setIsDistributing] = useState(false);
  // The batch just started: it issues in the background, its progress shown above the list.
  const [batch, setBatch] = useState<{ job: DistributionJob; name: string } | null>(null);

  const list = useCustomerList(toCustomersQuery(state));
  const staff = useStaff();
  const staffItems = useMemo(() => staff.data?.items ?? [], [staff.data]);
  const staffNames = useMemo(() => new Map(staffItems.map((member) => [member.id, member.displayName])), [staffItems]);

  const update = (next: Partial<CustomerListState>) => setSearchParams((current) => writeListState({ ...readListState(current), ...next }));

  // Typing searches as it goes; a new search starts again at page 1. Only a changed search
  // navigates: a late, unchanged one must not pull the desk back from the customer she opened.
  const searchedFor = useRef(state.q);
  searchedFor.current = state.q;
  useEffect(() => {
    if (debouncedSearch.trim() === searchedFor.current.trim()) return;
    setSearchParams((current) => writeListState({ ...readListState(current), q: debouncedSearch, page: 1 }));
  }, [debouncedSearch, setSearchParams]);

  // Every filter is replaced (a cleared one becomes undefined); results start again at page 1.
  const changeFilters = (next: CustomerListFilters) =>
    update({
      gender: next.gender,
      tag: next.tag,
      hasAllergy: next.hasAllergy,
      consultantId: next.consultantId,
      sourceChannel: next.sourceChannel,
      dealStatus: next.dealStatus,
      activity: next.activity,
      lastVisitType: next.lastVisitType,
      hasArrears: next.hasArrears,
      bookedNotArrived: next.bookedNotArrived,
      upcoming: next.upcoming,
      page: 1,
    });

  const filters: CustomerListFilters = {
    gender: state.gender,
    tag: state.tag,
    hasAllergy: state.hasAllergy,
    consultantId: state.consultantId,
    sourceChannel: state.sourceChannel,
    dealStatus: state.dealStatus,
    activity: state.activity,
    lastVisitType: state.lastVisitType,
    hasArrears: state.hasArrears,
    bookedNotArrived: state.bookedNotArrived,
    upcoming: state.upcoming,
  };

  return (
    <Card>
      <Flex vertical gap="middle">
        <Flex justify="space-between" align="center">
          <Typography.Title level={3} style={{ margin: 0 }}>
            {t('customers.title')}
          </Typography.Title>
          <Space>
            {canDistribute && (
              <Button icon={<GiftOutlined />} disabled={selected.length === 0} onClick={() => setIsDistributing(true)}>
                {t('voucherDistribution.batchFromCustomers', { count: selected.length })}
              </Button>
            )}
            {canWrite && (
              <Button type="primary" icon={<PlusOutlined />} onClick={() => setIsCreating(true)}>
                {t('customers.create')}
              </Button>
            )}
          </Space>
        </Flex>
        <Input.Search
          aria-label={t('customers.searchLabel')}
          placeholder={t('customers.searchPlaceholder')}
          allowClear
          enterButton
          size="large"
          style={{ maxWidth: 480 }}
          value={searchText}
          onChange={(event) => setSearchText(event.target.value)}
          onSearch={(value) => {
            setSearchText(value);
            update({ q: value, page: 1 });
          }}
        />
        {batch && <DistributionJobCard key={batch.job.id} job={batch.job} name={batch.name} onClose={() => setBatch(null)} />}
        <CustomerFilters filters={filters} staff={staffItems} onChange={changeFilters} />
        {list.isError && <Alert type="error" showIcon title={errorMessage(list.error)} />}
        <CustomerTable
          page={list.data}
          isLoading={list.isFetching}
          staffNames={staffNames}
          onPageChange={(page, pageSize) => update({ page: pageSize === state.pageSize ? page : 1, pageSize })}
          selection={canDistribute ? { selected, onChange: setSelected } : undefined}
        />
      </Flex>
      <CustomerFormDrawer open={isCreating} onClose={() => setIsCreating(false)} />
      {canDistribute && (
        <DistributionFormDrawer
          open={isDistributing}
          initialValues={{
            kind: 'batch',
            audienceKind: 'customers',
            customers: selected.map((customer) => ({ value: customer.id, label: `${customer.name}（${customer.phone}）` })),
          }}
          onClose={() => setIsDistributing(false)}
          onCreated={(created) => {
            setIsDistributing(false);
            setSelected([]);
            if (created.job) setBatch({ job: created.job, name: created.distribution.name });
          }}
        />
      )}
    </Card>
  );
};
