import { CheckCircleFilled, LockOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Col, DatePicker, Flex, Popconfirm, Row, Select, Skeleton, Statistic, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import dayjs from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ShiftTotals } from '../../shared/api-models';
import { formatYuan } from '../../shared/money';
import { useErrorMessage } from '../common/error-message';
import { formatTenantTime, useTenantTimezone, useTenantToday } from '../common/tenant-time';
import { useStaff } from '../customers/customer-queries';
import { StoreSelect, useDefaultStoreId } from '../orders/store-select';
import { usePaymentMethodLabel } from '../payments/payment-methods';
import { useReversalReasonLabel } from '../payments/reversal-reasons';
import { useCloseShift, useShiftTotals } from './shift-queries';

type MethodRow = ShiftTotals['byMethod'][number];
type ReasonRow = ShiftTotals['reversalsByReason'][number];

const money = (fen: number) => <span style={{ fontVariantNumeric: 'tabular-nums' }}>{formatYuan(fen)}</span>;

const MethodTable = ({ totals }: { totals: ShiftTotals }) => {
  const { t } = useTranslation();
  const methodLabel = usePaymentMethodLabel();
  const columns: ColumnsType<MethodRow> = [
    { key: 'method', title: t('shift.columns.method'), render: (_, row) => methodLabel(row.method) },
    { key: 'payments', title: t('shift.columns.payments'), align: 'right', render: (_, row) => money(row.paymentsFen) },
    { key: 'refunds', title: t('shift.columns.refunds'), align: 'right', render: (_, row) => money(row.refundsFen) },
    { key: 'reversals', title: t('shift.columns.reversals'), align: 'right', render: (_, row) => money(row.reversalsFen) },
    { key: 'net', title: t('shift.columns.net'), align: 'right', render: (_, row) => <strong>{money(row.netFen)}</strong> },
    { key: 'count', title: t('shift.columns.count'), align: 'right', width: 80, render: (_, row) => row.count },
  ];
  return (
    <Table<MethodRow>
      rowKey="method"
      size="middle"
      columns={columns}
      dataSource={totals.byMethod}
      pagination={false}
      locale={{ emptyText: t('shift.noMoney') }}
      summary={() =>
        totals.byMethod.length > 0 && (
          <Table.Summary.Row>
            <Table.Summary.Cell index={0}>
              <strong>{t('shift.totalRow')}</strong>
            </Table.Summary.Cell>
            <Table.Summary.Cell index={1} align="right">
              <strong>{money(totals.paymentsFen)}</strong>
            </Table.Summary.Cell>
            <Table.Summary.Cell index={2} align="right">
              <strong>{money(totals.refundsFen)}</strong>
            </Table.Summary.Cell>
            <Table.Summary.Cell index={3} align="right">
              <strong>{money(totals.reversalsFen)}</strong>
            </Table.Summary.Cell>
            <Table.Summary.Cell index={4} align="right">
              <strong>{money(totals.netFen)}</strong>
            </Table.Summary.Cell>
            <Table.Summary.Cell index={5} align="right">
              <strong>{totals.byMethod.reduce((sum, row) => sum + row.count, 0)}</strong>
            </Table.Summary.Cell>
          </Table.Summary.Row>
        )
      }
    />
  );
};

const ReasonTable = ({ rows }: { rows: readonly ReasonRow[] }) => {
  const { t } = useTranslation();
  const reasonLabel = useReversalReasonLabel();
  const columns: ColumnsType<ReasonRow> = [
    { key: 'reason', title: t('shift.reasonColumns.reason'), render: (_, row) => reasonLabel(row.reasonCode) },
    { key: 'count', title: t('shift.reasonColumns.count'), align: 'right', width: 80, render: (_, row) => row.count },
    { key: 'amount', title: t('shift.reasonColumns.amount'), align: 'right', width: 140, render: (_, row) => money(row.amountFen) },
  ];
  return (
    <Table<ReasonRow>
      rowKey="reasonCode"
      size="small"
      columns={columns}
      dataSource={[...rows]}
      pagination={false}
      locale={{ emptyText: t('shift.noReasons') }}
    />
  );
};

/** 交班 (one cashier) and 日结 (the whole store): the day's money by method, orders, arrears, deductions. */
export const ShiftPage = () => {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const errorMessage = useErrorMessage();
  const timezone = useTenantTimezone();
  const staff = useStaff();
  const defaultStoreId = useDefaultStoreId();
  const [storeId, setStoreId] = useState(defaultStoreId);
  const today = useTenantToday();
  const [businessDate, setBusinessDate] = useState(today);
  const [cashierId, setCashierId] = useState<string | undefined>();
  const query = storeId ? { storeId, businessDate, ...(cashierId ? { cashierId } : {}) } : undefined;
  const totals = useShiftTotals(query);
  const close = useCloseShift();
  const [problem, setProblem] = useState<string | null>(null);

  const cashierName = staff.data?.items.find((member) => member.id === cashierId)?.displayName ?? '';
  const closedAt = totals.data?.closedAt;

  const doClose = async () => {
    if (!query) return;
    setProblem(null);
    try {
      await close.mutateAsync(query);
      void message.success(cashierId ? t('shift.closedShift') : t('shift.closedDay'));
    } catch (error) {
      setProblem(errorMessage(error));
    }
  };

  return (
    <Flex vertical gap="middle">
      <Card>
        <Flex vertical gap="middle">
          <Typography.Title level={3} style={{ margin: 0 }}>
            {t('shift.title')}
          </Typography.Title>
          <Flex wrap gap="middle" align="center">
            <Flex align="center" gap="small">
              <Typography.Text type="secondary">{t('shift.store')}</Typography.Text>
              <StoreSelect aria-label={t('shift.store')} value={storeId} onChange={setStoreId} />
            </Flex>
            <Flex align="center" gap="small">
              <Typography.Text type="secondary">{t('shift.date')}</Typography.Text>
              <DatePicker
                aria-label={t('shift.date')}
                allowClear={false}
                value={dayjs(businessDate)}
                onChange={(date) => date && setBusinessDate(date.format('YYYY-MM-DD'))}
              />
            </Flex>
            <Flex align="center" gap="small">
              <Typography.Text type="secondary">{t('shift.cashier')}</Typography.Text>
              <Select<string>
                aria-label={t('shift.cashier')}
                style={{ width: 200 }}
                allowClear
                showSearch={{ optionFilterProp: 'label' }}
                placeholder={t('shift.wholeStore')}
                value={cashierId}
                loading={staff.isPending}
                options={(staff.data?.items ?? []).map((member) => ({
                  value: member.id,
                  label: t('header.userRole', { name: member.displayName, role: t(`roles.${member.role}`) }),
                }))}
                onChange={(value) => setCashierId(value ?? undefined)}
              />
            </Flex>
          </Flex>
        </Flex>
      </Card>
      {totals.isError && <Alert type="error" showIcon title={errorMessage(totals.error)} />}
      {totals.isPending && storeId && <Skeleton active />}
      {totals.data && (
        <>
          <Card
            title={
              <Flex gap="small" align="center">
                <span>{cashierId ? t('shift.scopeCashier', { name: cashierName }) : t('shift.scopeStore')}</span>
                <Typography.Text type="secondary">{businessDate}</Typography.Text>
              </Flex>
            }
            extra={
              closedAt ? (
                <Tag icon={<CheckCircleFilled />} color="success">
                  {t('shift.closedAt', { time: formatTenantTime(closedAt, timezone, 'YYYY-MM-DD HH:mm'), name: totals.data.closedByName ?? '' })}
                </Tag>
              ) : (
                <Popconfirm
                  title={cashierId ? t('shift.confirmShift', { name: cashierName, date: businessDate }) : t('shift.confirmDay', { date: businessDate })}
                  onConfirm={() => void doClose()}
                >
                  <Button type="primary" icon={<LockOutlined />} loading={close.isPending}>
                    {cashierId ? t('shift.closeShift') : t('shift.closeDay')}
                  </Button>
                </Popconfirm>
              )
            }
          >
            {problem && <Alert type="error" showIcon role="alert" title={problem} style={{ marginBottom: 12 }} />}
            <Row gutter={[16, 16]} style={{ marginBottom: 16 }}>
              {(
                [
                  ['net', formatYuan(totals.data.netFen)],
                  ['ordersPlaced', totals.data.ordersPlaced],
                  ['sales', formatYuan(totals.data.salesFen)],
                  ['arrearsCreated', formatYuan(totals.data.arrearsCreatedFen)],
                  ['deductions', totals.data.deductions],
                  ['deductionReversals', totals.data.deductionReversals],
                ] as const
              ).map(([key, value]) => (
                <Col key={key} xs={12} md={8} xl={4}>
                  <Statistic title={t(`shift.figures.${key}`)} value={value} />
                </Col>
              ))}
            </Row>
            <Typography.Title level={5}>{t('shift.byMethod')}</Typography.Title>
            <MethodTable totals={totals.data} />
          </Card>
          <Card title={t('shift.reasons')}>
            <ReasonTable rows={totals.data.reversalsByReason} />
          </Card>
        </>
      )}
    </Flex>
  );
};
