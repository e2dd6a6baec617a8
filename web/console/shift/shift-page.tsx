import { CheckCircleFilled, DownloadOutlined, LockOutlined, PrinterOutlined, UnlockOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Col, DatePicker, Descriptions, Flex, Input, Modal, Row, Select, Skeleton, Statistic, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import dayjs from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ShiftTotals } from '../../shared/api-models';
import { fenToYuanText, formatYuan } from '../../shared/money';
import { useCan, useCurrentMe } from '../auth/me-context';
import { useErrorMessage } from '../common/error-message';
import { formatTenantTime, useTenantTimezone, useTenantToday } from '../common/tenant-time';
import { useStaff } from '../customers/customer-queries';
import { StoreSelect, useDefaultStoreId } from '../orders/store-select';
import { usePaymentMethodLabel } from '../payments/payment-methods';
import { useReversalReasonLabel } from '../payments/reversal-reasons';
import { YuanInput } from '../payments/yuan-input';
import { useCloseShift, useReopenDay, useShiftTotals } from './shift-queries';

type MethodRow = ShiftTotals['byMethod'][number];
type ReasonRow = ShiftTotals['reversalsByReason'][number];

const money = (fen: number) => <span style={{ fontVariantNumeric: 'tabular-nums' }}>{formatYuan(fen)}</span>;

/** The page printed alone: no menu, header, filters or buttons; the report on plain paper. */
const printStyle = `
  @media print {
    .ant-layout-sider, .ant-layout-header, .shift-no-print { display: none !important; }
    body, .ant-layout { background: #fff !important; }
    .shift-report .ant-card { box-shadow: none !important; break-inside: avoid; }
  }
`;

const MethodTable = ({ totals }: { totals: ShiftTotals }) => {
  const { t } = useTranslation();
  const methodLabel = usePaymentMethodLabel();
  // 净收款 is money only: 积分抵现 and 储值 are shown apart, as non-cash settlement.
  const rows = totals.byMethod.filter((row) => row.isMoney);
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
      dataSource={rows}
      pagination={false}
      locale={{ emptyText: t('shift.noMoney') }}
      summary={() =>
        rows.length > 0 && (
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
              <strong>{rows.reduce((sum, row) => sum + row.count, 0)}</strong>
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

/** 非现金结算: value settled without money — points, stored value, vouchers, course sessions. */
const NonCash = ({ totals }: { totals: ShiftTotals }) => {
  const { t } = useTranslation();
  const { nonCash } = totals;
  return (
    <Descriptions
      size="small"
      bordered
      column={{ xs: 1, md: 2, xl: 4 }}
      items={(
        [
          ['points', nonCash.pointsFen],
          ['storedValue', nonCash.storedValueFen],
          ['vouchers', nonCash.vouchersFen],
          ['deductionValue', nonCash.deductionValueFen],
        ] as const
      ).map(([key, fen]) => ({ key, label: t(`shift.nonCash.${key}`), children: money(fen) }))}
    />
  );
};

/** 现金清点: expected cash from the day's cash payments, refunds and reversals; counted; 长款 / 短款. */
const CashCount = ({ totals }: { totals: ShiftTotals }) => {
  const { t } = useTranslation();
  const { cash } = totals;
  const difference = cash.differenceFen;
  return (
    <Row gutter={[16, 16]}>
      <Col xs={12} md={8}>
        <Statistic title={t('shift.cash.expected')} value={formatYuan(cash.expectedFen)} />
      </Col>
      <Col xs={12} md={8}>
        <Statistic title={t('shift.cash.counted')} value={cash.countedFen === null ? t('shift.cash.notCounted') : formatYuan(cash.countedFen)} />
      </Col>
      <Col xs={12} md={8}>
        <Statistic
          title={t('shift.cash.difference')}
          value={difference === null ? '—' : formatYuan(difference)}
          suffix={
            difference === null ? undefined : (
              <Tag color={difference === 0 ? 'success' : difference > 0 ? 'warning' : 'error'}>
                {difference === 0 ? t('shift.cash.even') : difference > 0 ? t('shift.cash.over') : t('shift.cash.short')}
              </Tag>
            )
          }
        />
      </Col>
    </Row>
  );
};

/** The report as a spreadsheet: CSV with a UTF-8 byte order mark, so Excel opens the Chinese text as it is. */
const useExportCsv = () => {
  const { t } = useTranslation();
  const methodLabel = usePaymentMethodLabel();
  const reasonLabel = useReversalReasonLabel();
  return (totals: ShiftTotals, heading: { store: string; scope: string; closed: string }) => {
    const yuan = (fen: number | null) => (fen === null ? '' : fenToYuanText(fen));
    const rows: (string | number)[][] = [
      [t('shift.store'), heading.store],
      [t('shift.date'), totals.businessDate],
      [t('shift.export.scope'), heading.scope],
      [t('shift.export.status'), heading.closed],
      [],
      [
        t('shift.columns.method'),
        t('shift.columns.payments'),
        t('shift.columns.refunds'),
        t('shift.columns.reversals'),
        t('shift.columns.net'),
        t('shift.columns.count'),
      ],
      ...totals.byMethod
        .filter((row) => row.isMoney)
        .map((row) => [methodLabel(row.method), yuan(row.paymentsFen), yuan(row.refundsFen), yuan(row.reversalsFen), yuan(row.netFen), row.count]),
      [t('shift.totalRow'), yuan(totals.paymentsFen), yuan(totals.refundsFen), yuan(totals.reversalsFen), yuan(totals.netFen)],
      [],
      [t('shift.nonCashTitle')],
      [t('shift.nonCash.points'), yuan(totals.nonCash.pointsFen)],
      [t('shift.nonCash.storedValue'), yuan(totals.nonCash.storedValueFen)],
      [t('shift.nonCash.vouchers'), yuan(totals.nonCash.vouchersFen)],
      [t('shift.nonCash.deductionValue'), yuan(totals.nonCash.deductionValueFen)],
      [],
      [t('shift.cashTitle')],
      [t('shift.cash.expected'), yuan(totals.cash.expectedFen)],
      [t('shift.cash.counted'), yuan(totals.cash.countedFen)],
      [t('shift.cash.difference'), yuan(totals.cash.differenceFen)],
      [],
      [t('shift.figures.ordersPlaced'), totals.ordersPlaced],
      [t('shift.figures.sales'), yuan(totals.salesFen)],
      [t('shift.figures.arrearsCreated'), yuan(totals.arrearsCreatedFen)],
      [t('shift.figures.deductions'), totals.deductions],
      [t('shift.figures.deductionReversals'), totals.deductionReversals],
      [],
      [t('shift.reasons'), t('shift.reasonColumns.count'), t('shift.reasonColumns.amount')],
      ...totals.reversalsByReason.map((row) => [reasonLabel(row.reasonCode), row.count, yuan(row.amountFen)]),
    ];
    const cell = (value: string | number) => {
      const text = String(value);
      return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
    };
    const csv = `\uFEFF${rows.map((row) => row.map(cell).join(',')).join('\r\n')}\r\n`;
    const url = URL.createObjectURL(new Blob([csv], { type: 'text/csv;charset=utf-8' }));
    const link = document.createElement('a');
    link.href = url;
    link.download = `${t('shift.export.fileName', { store: heading.store, date: totals.businessDate, scope: heading.scope })}.csv`;
    document.body.append(link);
    link.click();
    link.remove();
    URL.revokeObjectURL(url);
  };
};

/** What is still open on the day, in one sentence: "还有 2 张未付订单、3 个预约未到店，仍要日结吗？" */
const useOpenItemsText = () => {
  const { t } = useTranslation();
  return (items: ShiftTotals['openItems']): string | null => {
    if (!items) return null;
    const parts = [
      items.unpaidOrders > 0 ? t('shift.open.unpaid', { count: items.unpaidOrders, amount: formatYuan(items.unpaidOrdersFen) }) : null,
      items.appointmentsNotArrived > 0 ? t('shift.open.appointments', { count: items.appointmentsNotArrived }) : null,
      items.shiftsNotClosed.length > 0
        ? t('shift.open.shifts', { count: items.shiftsNotClosed.length, names: items.shiftsNotClosed.map((row) => row.name).join(t('shift.open.separator')) })
        : null,
    ].filter((part): part is string => part !== null);
    return parts.length === 0 ? null : t('shift.open.question', { items: parts.join(t('shift.open.separator')) });
  };
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
  const reopen = useReopenDay();
  const canReopen = useCan('shifts.reopen');
  const me = useCurrentMe();
  const exportCsv = useExportCsv();
  const openItemsText = useOpenItemsText();
  const [problem, setProblem] = useState<string | null>(null);
  const [confirming, setConfirming] = useState(false);
  const [countedCashFen, setCountedCashFen] = useState<number | undefined>();
  const [reopening, setReopening] = useState(false);
  const [reason, setReason] = useState('');

  const cashierName = staff.data?.items.find((member) => member.id === cashierId)?.displayName ?? '';
  const storeName = me.stores.find((store) => store.id === storeId)?.name ?? '';
  const closedAt = totals.data?.closedAt;
  const dayLocked = Boolean(closedAt) && !cashierId;
  const warning = cashierId ? null : openItemsText(totals.data?.openItems);
  const scopeLabel = cashierId ? t('shift.scopeCashier', { name: cashierName }) : t('shift.scopeStore');

  const startClose = () => {
    setProblem(null);
    setCountedCashFen(undefined);
    setConfirming(true);
  };

  const doClose = async () => {
    if (!query || countedCashFen === undefined) return;
    try {
      await close.mutateAsync({ ...query, countedCashFen });
      setConfirming(false);
      void message.success(cashierId ? t('shift.closedShift') : t('shift.closedDay'));
    } catch (error) {
      setConfirming(false);
      setProblem(errorMessage(error));
    }
  };

  const doReopen = async () => {
    if (!storeId || reason.trim() === '') return;
    try {
      await reopen.mutateAsync({ storeId, businessDate, reason: reason.trim() });
      setReopening(false);
      setReason('');
      void message.success(t('shift.reopened'));
    } catch (error) {
      setReopening(false);
      setProblem(errorMessage(error));
    }
  };

  return (
    <Flex vertical gap="middle" className="shift-report">
      <style>{printStyle}</style>
      <Card className="shift-no-print">
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
                <span>{scopeLabel}</span>
                <Typography.Text type="secondary">
                  {storeName} {businessDate}
                </Typography.Text>
              </Flex>
            }
            extra={
              <Flex gap="small" wrap align="center">
                {closedAt && (
                  <Tag icon={<CheckCircleFilled />} color="success">
                    {t('shift.closedAt', { time: formatTenantTime(closedAt, timezone, 'YYYY-MM-DD HH:mm'), name: totals.data.closedByName ?? '' })}
                  </Tag>
                )}
                <Button className="shift-no-print" icon={<PrinterOutlined />} onClick={() => window.print()}>
                  {t('shift.print')}
                </Button>
                <Button
                  className="shift-no-print"
                  icon={<DownloadOutlined />}
                  onClick={() =>
                    exportCsv(totals.data, {
                      store: storeName,
                      scope: scopeLabel,
                      closed: closedAt
                        ? t('shift.closedAt', { time: formatTenantTime(closedAt, timezone, 'YYYY-MM-DD HH:mm'), name: totals.data.closedByName ?? '' })
                        : t('shift.export.notClosed'),
                    })
                  }
                >
                  {t('shift.export.button')}
                </Button>
                {closedAt ? (
                  dayLocked &&
                  canReopen && (
                    <Button className="shift-no-print" danger icon={<UnlockOutlined />} onClick={() => setReopening(true)}>
                      {t('shift.reopen')}
                    </Button>
                  )
                ) : (
                  <Button className="shift-no-print" type="primary" icon={<LockOutlined />} loading={close.isPending} onClick={startClose}>
                    {cashierId ? t('shift.closeShift') : t('shift.closeDay')}
                  </Button>
                )}
              </Flex>
            }
          >
            {problem && <Alert type="error" showIcon role="alert" title={problem} style={{ marginBottom: 12 }} />}
            {dayLocked && <Alert className="shift-no-print" type="info" showIcon title={t('shift.locked')} style={{ marginBottom: 12 }} />}
            {!closedAt && warning && <Alert className="shift-no-print" type="warning" showIcon title={warning} style={{ marginBottom: 12 }} />}
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
            <Typography.Title level={5} style={{ marginTop: 16 }}>
              {t('shift.nonCashTitle')}
            </Typography.Title>
            <NonCash totals={totals.data} />
            <Typography.Title level={5} style={{ marginTop: 16 }}>
              {t('shift.cashTitle')}
            </Typography.Title>
            <CashCount totals={totals.data} />
          </Card>
          <Card title={t('shift.reasons')}>
            <ReasonTable rows={totals.data.reversalsByReason} />
          </Card>
        </>
      )}
      <Modal
        open={confirming}
        title={cashierId ? t('shift.confirmShift', { name: cashierName, date: businessDate }) : t('shift.confirmDay', { date: businessDate })}
        okText={warning ? t('shift.closeAnyway') : cashierId ? t('shift.closeShift') : t('shift.closeDay')}
        cancelText={t('shift.cancel')}
        okButtonProps={{ danger: Boolean(warning), disabled: countedCashFen === undefined, loading: close.isPending }}
        cancelButtonProps={{ autoFocus: true }}
        onOk={() => void doClose()}
        onCancel={() => setConfirming(false)}
        destroyOnHidden
      >
        <Flex vertical gap="middle">
          {warning && <Alert type="warning" showIcon title={warning} />}
          {!cashierId && <Typography.Text>{t('shift.lockNote')}</Typography.Text>}
          <Flex vertical gap={4}>
            <Typography.Text>{t('shift.cash.countPrompt', { amount: formatYuan(totals.data?.cash.expectedFen ?? 0) })}</Typography.Text>
            <YuanInput aria-label={t('shift.cash.counted')} value={countedCashFen} onChange={setCountedCashFen} placeholder={t('shift.cash.placeholder')} />
          </Flex>
        </Flex>
      </Modal>
      <Modal
        open={reopening}
        title={t('shift.reopenTitle', { date: businessDate })}
        okText={t('shift.reopen')}
        cancelText={t('shift.cancel')}
        okButtonProps={{ danger: true, disabled: reason.trim() === '', loading: reopen.isPending }}
        cancelButtonProps={{ autoFocus: true }}
        onOk={() => void doReopen()}
        onCancel={() => setReopening(false)}
        destroyOnHidden
      >
        <Flex vertical gap="small">
          <Typography.Text>{t('shift.reopenNote')}</Typography.Text>
          <Input.TextArea
            aria-label={t('shift.reopenReason')}
            placeholder={t('shift.reopenReason')}
            value={reason}
            maxLength={500}
            onChange={(event) => setReason(event.target.value)}
          />
        </Flex>
      </Modal>
    </Flex>
  );
};
