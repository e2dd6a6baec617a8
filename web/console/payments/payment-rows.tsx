import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { Button, Flex, Input, type InputRef, Select, Typography } from 'antd';
import type { KeyboardEvent, RefObject } from 'react';
import { useTranslation } from 'react-i18next';
import type { PaymentInput, PaymentMethod } from '../../shared/api-models';
import { fenToYuanText, formatYuan, parseYuan } from '../../shared/money';
import { paymentMethods, usePaymentMethodLabel } from './payment-methods';

export type PaymentRow = { key: string; method: PaymentMethod; amountText: string };

let rowCounter = 0;
export const newPaymentRow = (method: PaymentMethod = 'wechat', amountText = ''): PaymentRow => {
  rowCounter += 1;
  return { key: `row-${rowCounter}`, method, amountText };
};

type RowAmount = { kind: 'blank' } | { kind: 'invalid' } | { kind: 'amount'; fen: number };

const amountOf = (row: PaymentRow): RowAmount => {
  if (row.amountText.trim() === '') return { kind: 'blank' };
  const fen = parseYuan(row.amountText);
  return fen === undefined || fen < 0 ? { kind: 'invalid' } : { kind: 'amount', fen };
};

/** The rows as the API wants them: blank and zero rows left out; invalid when any amount is not one. */
export const readPaymentRows = (rows: readonly PaymentRow[]): { payments: PaymentInput[]; totalFen: number; isValid: boolean } => {
  const payments: PaymentInput[] = [];
  let isValid = true;
  for (const row of rows) {
    const amount = amountOf(row);
    if (amount.kind === 'invalid') isValid = false;
    if (amount.kind === 'amount' && amount.fen > 0) payments.push({ method: row.method, amountFen: amount.fen });
  }
  return { payments, totalFen: payments.reduce((sum, payment) => sum + payment.amountFen, 0), isValid };
};

type PaymentRowsProps = {
  rows: readonly PaymentRow[];
  onChange: (rows: PaymentRow[]) => void;
  /** What the rows should add up to: the amount due, the arrears, the refund. "=" fills what is left of it. */
  targetFen: number;
  /** Enter in an amount box. */
  onSubmit?: () => void;
  /** The first amount box, for a "jump to payment" shortcut. */
  firstAmountRef?: RefObject<InputRef | null>;
  /** Payouts are limited to the methods the order was paid with. */
  methods?: readonly PaymentMethod[];
  variant?: 'payment' | 'payout';
};

/** Method + amount rows for 收银, 补缴 and 退款; keyboard: "=" fills the rest, Enter submits. */
export const PaymentRows = ({ rows, onChange, targetFen, onSubmit, firstAmountRef, methods = paymentMethods, variant = 'payment' }: PaymentRowsProps) => {
  const { t } = useTranslation();
  const methodLabel = usePaymentMethodLabel();
  const options = methods.map((method) => ({ value: method, label: methodLabel(method) }));
  const { totalFen } = readPaymentRows(rows);

  const update = (key: string, patch: Partial<PaymentRow>) => onChange(rows.map((row) => (row.key === key ? { ...row, ...patch } : row)));

  const restFor = (key: string) => {
    const others = readPaymentRows(rows.filter((row) => row.key !== key)).totalFen;
    return Math.max(0, targetFen - others);
  };

  const fillRest = (key: string) => {
    const rest = restFor(key);
    update(key, { amountText: rest > 0 ? fenToYuanText(rest) : '' });
  };

  const onAmountKeyDown = (key: string) => (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === '=') {
      event.preventDefault();
      fillRest(key);
    } else if (event.key === 'Enter' && onSubmit && !event.nativeEvent.isComposing) {
      event.preventDefault();
      onSubmit();
    }
  };

  const unused = methods.find((method) => !rows.some((row) => row.method === method)) ?? methods[0] ?? 'cash';
  const rest = targetFen - totalFen;

  return (
    <Flex vertical gap="small">
      {rows.map((row, index) => {
        const isInvalid = amountOf(row).kind === 'invalid';
        const number = index + 1;
        return (
          <Flex key={row.key} gap="small" align="center">
            <Select<PaymentMethod>
              aria-label={t(variant === 'payout' ? 'payments.payoutMethodLabel' : 'payments.methodLabel', { index: number })}
              // Wide enough for the longest name in either language (WeChat Pay, Stored value), never cut.
              style={{ width: 136, flex: 'none' }}
              popupMatchSelectWidth={false}
              value={row.method}
              options={options}
              onChange={(method) => update(row.key, { method })}
            />
            <Input
              ref={index === 0 ? firstAmountRef : undefined}
              aria-label={t(variant === 'payout' ? 'payments.payoutAmountLabel' : 'payments.amountLabel', { index: number })}
              aria-invalid={isInvalid}
              status={isInvalid ? 'error' : undefined}
              prefix="¥"
              inputMode="decimal"
              autoComplete="off"
              placeholder={t('payments.amountPlaceholder')}
              value={row.amountText}
              onChange={(event) => update(row.key, { amountText: event.target.value })}
              // A pre-filled amount is replaced by what the desk types, not appended to.
              onFocus={(event) => event.target.select()}
              onKeyDown={onAmountKeyDown(row.key)}
            />
            <Button onClick={() => fillRest(row.key)} title="=">
              {t('payments.fillRest')}
            </Button>
            {rows.length > 1 && (
              <Button
                type="text"
                aria-label={t('payments.removeRow')}
                icon={<DeleteOutlined />}
                onClick={() => onChange(rows.filter((other) => other.key !== row.key))}
              />
            )}
          </Flex>
        );
      })}
      <Flex justify="space-between" align="center">
        {rows.length < methods.length ? (
          <Button type="dashed" size="small" icon={<PlusOutlined />} onClick={() => onChange([...rows, newPaymentRow(unused)])}>
            {t(variant === 'payout' ? 'payments.addPayoutRow' : 'payments.addRow')}
          </Button>
        ) : (
          <span />
        )}
        <Typography.Text type={rest < 0 ? 'danger' : 'secondary'}>
          {rest > 0 ? t('payments.rest', { amount: formatYuan(rest) }) : t('payments.sum', { amount: formatYuan(totalFen) })}
        </Typography.Text>
      </Flex>
    </Flex>
  );
};
