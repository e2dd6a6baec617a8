import { EditOutlined } from '@ant-design/icons';
import { Button, Flex, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useTranslation } from 'react-i18next';
import type { Item, ItemPage } from '../../shared/api-models';
import { formatYuan } from '../../shared/money';
import { isCourseKind, itemKindColors } from './item-kinds';

type ItemTableProps = {
  page: ItemPage | undefined;
  current: number;
  pageSize: number;
  isLoading: boolean;
  onPageChange: (page: number, pageSize: number) => void;
  /** Absent without catalog.manage. */
  onEdit?: (item: Item) => void;
};

export const ItemTable = ({ page, current, pageSize, isLoading, onPageChange, onEdit }: ItemTableProps) => {
  const { t } = useTranslation();
  const empty = t('common.empty');

  const columns: ColumnsType<Item> = [
    {
      key: 'name',
      title: t('catalog.columns.name'),
      render: (_, item) => (
        <Flex vertical gap={2}>
          <Flex gap={6} align="center">
            <Typography.Text strong type={item.isActive ? undefined : 'secondary'}>
              {item.name}
            </Typography.Text>
            {!item.isActive && <Tag style={{ marginInlineEnd: 0 }}>{t('catalog.inactive')}</Tag>}
          </Flex>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {t('catalog.shortCodeLabel', { code: item.shortCode })}
          </Typography.Text>
        </Flex>
      ),
    },
    {
      key: 'kind',
      title: t('catalog.columns.kind'),
      width: 110,
      render: (_, item) => <Tag color={itemKindColors[item.kind]}>{t(`catalog.kinds.${item.kind}`)}</Tag>,
    },
    { key: 'category', title: t('catalog.columns.category'), width: 120, render: (_, item) => item.categoryName ?? empty },
    {
      key: 'price',
      title: t('catalog.columns.price'),
      width: 150,
      align: 'right',
      render: (_, item) => (
        <Typography.Text style={{ fontVariantNumeric: 'tabular-nums' }}>
          {formatYuan(item.priceFen)}
          <Typography.Text type="secondary"> / {item.unit}</Typography.Text>
        </Typography.Text>
      ),
    },
    {
      key: 'contents',
      title: t('catalog.columns.contents'),
      render: (_, item) =>
        isCourseKind(item.kind) ? (
          <Flex vertical gap={2}>
            {item.contents.map((content) => (
              <span key={content.itemId}>{t('catalog.contentLine', { name: content.name, sessions: content.sessions })}</span>
            ))}
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {item.validityDays ? t('catalog.validFor', { days: item.validityDays }) : t('catalog.noExpiry')}
            </Typography.Text>
          </Flex>
        ) : (
          empty
        ),
    },
    ...(onEdit
      ? [
          {
            key: 'actions',
            title: t('catalog.columns.actions'),
            width: 90,
            render: (_: unknown, item: Item) => (
              <Button type="link" icon={<EditOutlined />} onClick={() => onEdit(item)} aria-label={t('catalog.editItem', { name: item.name })}>
                {t('common.edit')}
              </Button>
            ),
          },
        ]
      : []),
  ];

  return (
    <Table<Item>
      rowKey="id"
      columns={columns}
      dataSource={page?.items ?? []}
      loading={isLoading}
      locale={{ emptyText: t('catalog.emptyText') }}
      pagination={{
        current,
        pageSize,
        total: page?.total ?? 0,
        showSizeChanger: true,
        pageSizeOptions: [10, 20, 50, 100],
        showTotal: (total) => t('catalog.total', { count: total }),
        onChange: onPageChange,
      }}
    />
  );
};
