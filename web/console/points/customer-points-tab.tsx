import { Alert, Button, Card, Descriptions, Flex, Popover, Skeleton, Statistic, Table, Tag, Tooltip, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { PointsEntry, PointsEntryType, PointsLot } from '../../shared/api-models';
import { formatYuan } from '../../shared/money';
import { useCan } from '../auth/me-context';
import { useErrorMessage } from '../common/error-message';
import { formatTenantTime, useTenantTimezone } from '../common/tenant-time';
import { usePaymentMethodLabel } from '../payments/payment-methods';
import { PointsAdjustModal } from './points-adjust-modal';
import { useCustomerPoints, usePointsEntry } from './points-queries';
import { usePointsReason } from './points-reason';

const typeColors: Record<PointsEntryType, string> = { earn: 'green', redeem: 'blue', expire: 'default', adjust: 'gold', reverse: 'red' };

export const signedPoints = (points: number) => (points > 0 ? `+${points.toLocaleString('en-US')}` : points.toLocaleString('en-US'));

const PointsNumber = ({ points }: { points: number }) => (
  <Typography.Text strong type={points < 0 ? 'danger' : 'success'} style={{ fontVariantNumeric: 'tabular-nums' }}>
    {signedPoints(points)}
  </Typography.Text>
);

/** 明细: the entry with its rule, reasons and the lots it moved, loaded when opened. */
const EntryExplain = ({ entryId }: { entryId: string }) => {
  const { t } = useTranslation();
  const errorMessage = useErrorMessage();
  const timezoneName = useTenantTimezone();
  const reason = usePointsReason();
  const methodLabel = usePaymentMethodLabel();
  const explain = usePointsEntry(entryId, true);
  if (explain.isPending) return <Skeleton active paragraph={{ rows: 3 }} style={{ width: 360 }} />;
  if (explain.isError) return <Alert type="error" showIcon title={errorMessage(explain.error)} />;
  const { entry, movements } = explain.data;
  const paidFen = typeof entry.reason.paidFen === 'number' ? entry.reason.paidFen : undefined;
  const method = typeof entry.reason.method === 'string' ? entry.reason.method : undefined;
  return (
    <Flex vertical gap="small" style={{ width: 420 }} data-testid="points-explain">
      <Descriptions size="small" column={1} bordered>
        <Descriptions.Item label={t('points.history.type')}>{t(`points.history.types.${entry.type}`)}</Descriptions.Item>
        <Descriptions.Item label={t('points.explain.rule')}>{reason.ruleLabel(entry.reason) ?? '—'}</Descriptions.Item>
        <Descriptions.Item label={t('points.history.points')}>
          <PointsNumber points={entry.points} />
        </Descriptions.Item>
        {entry.growth !== 0 && <Descriptions.Item label={t('points.history.growth')}>{signedPoints(entry.growth)}</Descriptions.Item>}
        {paidFen !== undefined && (
          <Descriptions.Item label={t('points.explain.source')}>
            {t('points.explain.paid', { amount: formatYuan(paidFen), method: method ? methodLabel(method) : '—' })}
          </Descriptions.Item>
        )}
        <Descriptions.Item label={t('points.history.reason')}>
          {reason.lines(entry.reason).map((line) => (
            <div key={line}>{line}</div>
          ))}
        </Descriptions.Item>
        <Descriptions.Item label={t('points.history.createdAt')}>{formatTenantTime(entry.createdAt, timezoneName, 'YYYY-MM-DD HH:mm')}</Descriptions.Item>
      </Descriptions>
      <Typography.Text strong>{t('points.explain.movements')}</Typography.Text>
      {movements.length === 0 ? (
        <Typography.Text type="secondary">{t('points.explain.noMovements')}</Typography.Text>
      ) : (
        <Table
          size="small"
          rowKey={(movement) => `${movement.lotId}-${movement.points}`}
          pagination={false}
          dataSource={movements}
          columns={[
            { key: 'lot', title: t('points.explain.lot'), render: (_, movement) => <Typography.Text code>{movement.lotId.slice(-8)}</Typography.Text> },
            { key: 'points', title: t('points.history.points'), align: 'right', render: (_, movement) => <PointsNumber points={movement.points} /> },
            {
              key: 'expires',
              title: t('points.explain.lotExpiresAt'),
              render: (_, movement) => (movement.lotExpiresAt ? formatTenantTime(movement.lotExpiresAt, timezoneName, 'YYYY-MM-DD') : t('points.lots.never')),
            },
          ]}
        />
      )}
    </Flex>
  );
};

/** 积分 on the customer 360 page: balance by state, the lots with their expiry, and the history with reasons (SPEC §6). */
export const CustomerPointsTab = ({ customerId }: { customerId: string }) => {
  const { t } = useTranslation();
  const errorMessage = useErrorMessage();
  const timezoneName = useTenantTimezone();
  const canAdjust = useCan('points.adjust');
  const reason = usePointsReason();
  const points = useCustomerPoints(customerId);
  const [isAdjusting, setIsAdjusting] = useState(false);

  if (points.isPending) return <Skeleton active paragraph={{ rows: 6 }} />;
  if (points.isError) return <Alert type="error" showIcon title={errorMessage(points.error)} />;
  const overview = points.data;
  const date = (iso: string | null) => (iso ? formatTenantTime(iso, timezoneName, 'YYYY-MM-DD') : t('points.lots.never'));
  const { expiringSoon } = overview;

  return (
    <Flex vertical gap="middle">
      <Card size="small">
        <Flex justify="space-between" align="flex-start" wrap gap="middle">
          <Flex gap={40} wrap data-testid="points-balance">
            <Statistic title={t('points.balance.active')} value={overview.active} groupSeparator="," />
            <Statistic
              title={<Tooltip title={t('points.balance.pendingHelp')}>{t('points.balance.pending')}</Tooltip>}
              value={overview.pending}
              groupSeparator=","
            />
            <Flex vertical>
              <Statistic
                title={t('points.balance.expiring')}
                value={expiringSoon.points}
                groupSeparator=","
                styles={{ content: expiringSoon.points > 0 ? { color: '#d46b08' } : undefined }}
              />
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {expiringSoon.points > 0 && expiringSoon.firstAt
                  ? t('points.balance.expiringDetail', { withinDays: expiringSoon.withinDays, date: date(expiringSoon.firstAt) })
                  : t('points.balance.expiringNone', { withinDays: expiringSoon.withinDays })}
              </Typography.Text>
            </Flex>
            <Statistic title={t('points.balance.growth')} value={overview.growth} groupSeparator="," />
            {overview.debt > 0 && (
              <Statistic
                title={<Tooltip title={t('points.balance.debtHelp')}>{t('points.balance.debt')}</Tooltip>}
                value={overview.debt}
                groupSeparator=","
                styles={{ content: { color: '#cf1322' } }}
              />
            )}
          </Flex>
          {canAdjust && (
            <Button type="primary" onClick={() => setIsAdjusting(true)}>
              {t('points.adjust.button')}
            </Button>
          )}
        </Flex>
      </Card>
      <Typography.Title level={5} style={{ margin: 0 }}>
        {t('points.lots.title')}
      </Typography.Title>
      <Table<PointsLot>
        rowKey="id"
        size="small"
        dataSource={overview.lots}
        pagination={{ pageSize: 10, hideOnSinglePage: true }}
        locale={{ emptyText: t('points.lots.empty') }}
        columns={[
          { key: 'createdAt', title: t('points.history.createdAt'), width: 130, render: (_, lot) => date(lot.createdAt) },
          { key: 'points', title: t('points.lots.points'), align: 'right', width: 100, render: (_, lot) => lot.points.toLocaleString('en-US') },
          { key: 'remaining', title: t('points.lots.remaining'), align: 'right', width: 100, render: (_, lot) => lot.remaining.toLocaleString('en-US') },
          {
            key: 'state',
            title: t('points.lots.state'),
            width: 100,
            render: (_, lot) => <Tag color={lot.state === 'active' ? 'green' : 'orange'}>{t(`points.lots.states.${lot.state}`)}</Tag>,
          },
          { key: 'availableAt', title: t('points.lots.availableAt'), width: 130, render: (_, lot) => date(lot.availableAt) },
          { key: 'expiresAt', title: t('points.lots.expiresAt'), render: (_, lot) => date(lot.expiresAt) },
        ]}
      />
      <Typography.Title level={5} style={{ margin: 0 }}>
        {t('points.history.title')}
      </Typography.Title>
      <Table<PointsEntry>
        rowKey="id"
        size="small"
        dataSource={overview.entries}
        pagination={{ pageSize: 20, hideOnSinglePage: true }}
        locale={{ emptyText: t('points.history.empty') }}
        columns={[
          {
            key: 'createdAt',
            title: t('points.history.createdAt'),
            width: 150,
            render: (_, entry) => formatTenantTime(entry.createdAt, timezoneName, 'YYYY-MM-DD HH:mm'),
          },
          {
            key: 'type',
            title: t('points.history.type'),
            width: 80,
            render: (_, entry) => <Tag color={typeColors[entry.type]}>{t(`points.history.types.${entry.type}`)}</Tag>,
          },
          { key: 'points', title: t('points.history.points'), align: 'right', width: 100, render: (_, entry) => <PointsNumber points={entry.points} /> },
          {
            key: 'reason',
            title: t('points.history.reason'),
            render: (_, entry) => {
              const lines = reason.lines(entry.reason);
              const rule = reason.ruleLabel(entry.reason);
              return (
                <Flex vertical>
                  {lines.length === 0 ? <Typography.Text type="secondary">{rule ?? '—'}</Typography.Text> : null}
                  {lines.map((line) => (
                    <Typography.Text key={line}>{line}</Typography.Text>
                  ))}
                </Flex>
              );
            },
          },
          {
            key: 'explain',
            title: '',
            width: 80,
            render: (_, entry) => (
              <Popover trigger="click" placement="left" title={t('points.explain.title')} content={<EntryExplain entryId={entry.id} />} destroyOnHidden>
                <Button type="link" size="small">
                  {t('points.history.explain')}
                </Button>
              </Popover>
            ),
          },
        ]}
      />
      {canAdjust && <PointsAdjustModal customerId={customerId} open={isAdjusting} onClose={() => setIsAdjusting(false)} />}
    </Flex>
  );
};
