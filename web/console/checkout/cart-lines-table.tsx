import { DeleteOutlined, ScissorOutlined, TeamOutlined } from '@ant-design/icons';
import { Button, Flex, InputNumber, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AttributionShare, CustomerCourseItem, StaffMember } from '../../shared/api-models';
import { formatYuan } from '../../shared/money';
import { YuanInput } from '../payments/yuan-input';
import { AttributionEditor } from './attribution-editor';
import { type CartLine, lineAmountFen, lineProblemOf } from './cart';

type CartLinesTableProps = {
  lines: readonly CartLine[];
  /** What each line costs after member pricing (by line key), once the quote has it. */
  pricedAmounts?: ReadonlyMap<string, number>;
  staff: readonly StaffMember[];
  onChange: (key: string, patch: Partial<CartLine>) => void;
  onRemove: (key: string) => void;
  /** The course item of hers with sessions left for this line's item: the line can be 划扣 instead of charged. */
  courseItemFor?: (line: CartLine) => CustomerCourseItem | undefined;
  onDeduct?: (line: CartLine, courseItem: CustomerCourseItem) => void;
};

const AttributionSummary = ({ shares, staffNames }: { shares: readonly AttributionShare[]; staffNames: ReadonlyMap<string, string> }) => {
  const { t } = useTranslation();
  if (shares.length === 0) return <Typography.Text type="secondary">{t('payments.attribution.none')}</Typography.Text>;
  return (
    <Flex vertical gap={2}>
      {shares.map((share) => (
        <span key={`${share.staffId}:${share.role}`}>
          {staffNames.get(share.staffId) ?? '?'} · {t(`payments.attribution.roles.${share.role}`)} {share.ratioPercent}%
        </span>
      ))}
    </Flex>
  );
};

/** The lines being rung up: price, quantity, discount and 业绩 are editable in place. */
export const CartLinesTable = ({ lines, pricedAmounts, staff, onChange, onRemove, courseItemFor, onDeduct }: CartLinesTableProps) => {
  const { t } = useTranslation();
  const [editingKey, setEditingKey] = useState<string | null>(null);
  const staffNames = new Map(staff.map((member) => [member.id, member.displayName]));
  const editing = lines.find((line) => line.key === editingKey);

  const columns: ColumnsType<CartLine> = [
    {
      key: 'item',
      title: t('checkout.lines.item'),
      render: (_, line) => {
        const courseItem = courseItemFor?.(line);
        return (
          <Flex vertical gap={2}>
            <Flex gap={6} align="center" wrap>
              <Typography.Text strong>{line.item.name}</Typography.Text>
              <Tag>{t(`orders.kind.${line.item.kind}`)}</Tag>
            </Flex>
            {courseItem && onDeduct && (
              // She bought this before: use one of her sessions instead of charging for it.
              <Button
                size="small"
                type="primary"
                ghost
                icon={<ScissorOutlined />}
                style={{ alignSelf: 'flex-start' }}
                aria-label={t('checkout.lines.deductLabel', { name: line.item.name, count: courseItem.remainingSessions })}
                onClick={() => onDeduct(line, courseItem)}
              >
                {t('checkout.lines.deduct', { count: courseItem.remainingSessions })}
              </Button>
            )}
            <Typography.Text type="secondary" style={{ fontSize: 12 }} ellipsis={{ tooltip: true }}>
              {line.item.shortCode}
              {line.item.contents.length > 0 &&
                ` · ${t('checkout.lines.packageContents', { list: line.item.contents.map((content) => `${content.name}×${content.sessions}`).join('、') })}`}
            </Typography.Text>
          </Flex>
        );
      },
    },
    {
      key: 'unitPrice',
      title: t('checkout.lines.unitPrice'),
      width: 116,
      render: (_, line) => (
        <YuanInput
          aria-label={t('checkout.lines.unitPriceLabel', { name: line.item.name })}
          value={line.unitPriceFen}
          onChange={(unitPriceFen) => onChange(line.key, { unitPriceFen })}
        />
      ),
    },
    {
      key: 'quantity',
      title: t('checkout.lines.quantity'),
      width: 64,
      render: (_, line) => (
        <InputNumber<number>
          aria-label={t('checkout.lines.quantityLabel', { name: line.item.name })}
          min={1}
          max={999}
          precision={0}
          style={{ width: '100%' }}
          value={line.quantity}
          onChange={(quantity) => onChange(line.key, { quantity: quantity ?? undefined })}
        />
      ),
    },
    {
      key: 'discount',
      title: t('checkout.lines.discount'),
      width: 90,
      render: (_, line) => (
        <YuanInput
          aria-label={t('checkout.lines.discountLabel', { name: line.item.name })}
          value={line.discountFen}
          emptyValue={0}
          onChange={(discountFen) => onChange(line.key, { discountFen })}
        />
      ),
    },
    {
      key: 'amount',
      title: t('checkout.lines.amount'),
      width: 96,
      align: 'right',
      render: (_, line) => {
        const problem = lineProblemOf(line);
        const amountFen = lineAmountFen(line);
        const pricedFen = pricedAmounts?.get(line.key);
        return (
          <Flex vertical align="flex-end">
            {pricedFen !== undefined && pricedFen !== amountFen && (
              <Typography.Text delete type="secondary" style={{ fontSize: 12, fontVariantNumeric: 'tabular-nums' }}>
                {formatYuan(amountFen)}
              </Typography.Text>
            )}
            <Typography.Text strong style={{ fontVariantNumeric: 'tabular-nums' }}>
              {formatYuan(pricedFen ?? amountFen)}
            </Typography.Text>
            {problem === 'discountTooLarge' && (
              <Typography.Text type="danger" style={{ fontSize: 12 }}>
                {t('checkout.lines.discountTooLarge')}
              </Typography.Text>
            )}
            {(problem === 'unitPrice' || problem === 'discount') && (
              <Typography.Text type="danger" style={{ fontSize: 12 }}>
                {t('checkout.lines.invalidAmount')}
              </Typography.Text>
            )}
          </Flex>
        );
      },
    },
    {
      key: 'attribution',
      title: t('checkout.lines.attribution'),
      width: 112,
      render: (_, line) => {
        const problem = lineProblemOf(line);
        const isAttributionWrong = problem === 'sum' || problem === 'ratio' || problem === 'duplicate';
        return (
          <Button
            type="text"
            size="small"
            danger={isAttributionWrong}
            icon={<TeamOutlined />}
            style={{ height: 'auto', textAlign: 'left', whiteSpace: 'normal' }}
            aria-label={`${t('checkout.lines.attribution')}：${line.item.name}`}
            onClick={() => setEditingKey(line.key)}
          >
            <AttributionSummary shares={line.attribution} staffNames={staffNames} />
          </Button>
        );
      },
    },
    {
      key: 'remove',
      width: 36,
      render: (_, line) => (
        <Button
          type="text"
          danger
          icon={<DeleteOutlined />}
          aria-label={t('checkout.lines.removeLine', { name: line.item.name })}
          onClick={() => onRemove(line.key)}
        />
      ),
    },
  ];

  return (
    <>
      <Table<CartLine>
        rowKey="key"
        size="small"
        columns={columns}
        dataSource={[...lines]}
        pagination={false}
        locale={{ emptyText: t('checkout.lines.empty') }}
      />
      {editing && (
        <AttributionEditor
          open
          lineName={editing.item.name}
          value={editing.attribution}
          staff={staff}
          onCancel={() => setEditingKey(null)}
          onApply={(attribution) => {
            onChange(editing.key, { attribution });
            setEditingKey(null);
          }}
        />
      )}
    </>
  );
};
