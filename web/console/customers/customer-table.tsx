import { ShoppingCartOutlined } from '@ant-design/icons';
import { Button, Flex, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import type { Customer, CustomerPage } from '../../shared/api-models';
import { useCan } from '../auth/me-context';
import { AllergyIcon } from './allergy-icon';
import { BirthdayText } from './birthday-text';
import { DynamicTags } from './dynamic-tags';

type CustomerTableProps = {
  page: CustomerPage | undefined;
  isLoading: boolean;
  staffNames: ReadonlyMap<string, string>;
  onPageChange: (page: number, pageSize: number) => void;
  /** When given, rows can be ticked (across pages) for a batch action such as 批量发券. */
  selection?: { selected: readonly Customer[]; onChange: (rows: Customer[]) => void };
};

export const CustomerTable = ({ page, isLoading, staffNames, onPageChange, selection }: CustomerTableProps) => {
  const { t } = useTranslation();
  const empty = t('common.empty');
  const canOpenOrders = useCan('orders.open');
  const navigate = useNavigate();

  const columns: ColumnsType<Customer> = [
    {
      key: 'name',
      title: t('customers.columns.name'),
      render: (_, customer) => (
        <Flex vertical gap={4}>
          <Flex gap={6} align="center">
            <Link to={`/customers/${customer.id}`}>{customer.name}</Link>
            <AllergyIcon allergies={customer.allergies} />
          </Flex>
          {customer.tags.length > 0 && (
            <Flex wrap gap={4}>
              {customer.tags.map((tag) => (
                <Tag key={tag} style={{ marginInlineEnd: 0 }}>
                  {tag}
                </Tag>
              ))}
            </Flex>
          )}
        </Flex>
      ),
    },
    { key: 'dynamicTags', title: t('dynamicTags.column'), width: 300, render: (_, customer) => <DynamicTags customer={customer} /> },
    { key: 'gender', title: t('customers.columns.gender'), width: 80, render: (_, customer) => t(`gender.${customer.gender}`) },
    {
      key: 'phone',
      title: t('customers.columns.phone'),
      width: 150,
      render: (_, customer) => <Typography.Text style={{ fontVariantNumeric: 'tabular-nums' }}>{customer.phone}</Typography.Text>,
    },
    { key: 'birthday', title: t('customers.columns.birthday'), width: 170, render: (_, customer) => <BirthdayText birthday={customer.birthday} /> },
    {
      key: 'consultant',
      title: t('customers.columns.consultant'),
      width: 140,
      render: (_, customer) => (customer.consultantId ? (staffNames.get(customer.consultantId) ?? empty) : empty),
    },
    {
      key: 'createdAt',
      title: t('customers.columns.createdAt'),
      width: 120,
      render: (_, customer) => dayjs(customer.createdAt).format('YYYY-MM-DD'),
    },
    // 收银 straight from her row: the desk opens with her chosen, no second search.
    ...(canOpenOrders
      ? [
          {
            key: 'actions',
            title: t('customers.columns.actions'),
            width: 110,
            render: (_: unknown, customer: Customer) => (
              <Button
                size="small"
                icon={<ShoppingCartOutlined />}
                aria-label={t('customers.checkoutFor', { name: customer.name })}
                onClick={() => navigate(`/checkout?customerId=${customer.id}`)}
              >
                {t('customer360.checkout')}
              </Button>
            ),
          },
        ]
      : []),
  ];

  return (
    <Table<Customer>
      rowKey="id"
      columns={columns}
      dataSource={page?.items ?? []}
      loading={isLoading}
      locale={{ emptyText: t('customers.emptyText') }}
      rowSelection={
        selection && {
          selectedRowKeys: selection.selected.map((customer) => customer.id),
          preserveSelectedRowKeys: true,
          onChange: (_keys, rows) => selection.onChange(rows.filter((row): row is Customer => row !== undefined)),
        }
      }
      pagination={{
        current: page?.page ?? 1,
        pageSize: page?.pageSize,
        total: page?.total ?? 0,
        showSizeChanger: true,
        pageSizeOptions: [10, 20, 50, 100],
        showTotal: (total) => t('customers.total', { count: total }),
        onChange: onPageChange,
      }}
    />
  );
};
