import { Alert, App, Checkbox, Divider, Flex, Input, InputNumber, Modal, Select, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Order, RefundInput, ReversalReasonCode } from '../../shared/api-models';
import { formatYuan } from '../../shared/money';
import { useErrorMessage } from '../common/error-message';
import { useIdempotencyKey } from '../common/use-idempotency-key';
import { usePaymentMethodLabel } from '../payments/payment-methods';
import { newPaymentRow, type PaymentRow, PaymentRows, readPaymentRows } from '../payments/payment-rows';
import { useReversalReasonOptions } from '../payments/reversal-reasons';
import { useRefundOrder } from './order-queries';
import { isCourseLine, netPaidByMethod, unitsLeft, unitsValue } from './refund-math';

type LineChoice = { isChosen: boolean; quantity: number };

/** 退款: choose lines (units, or a course's unused sessions) and pay back by the original methods. */
export const RefundDialog = ({ order, onClose }: { order: Order; onClose: () => void }) => {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const errorMessage = useErrorMessage();
  const methodLabel = usePaymentMethodLabel();
  const refund = useRefundOrder();
  const idempotencyKeyFor = useIdempotencyKey();
  const reasons = useReversalReasonOptions();
  const paidByMethod = netPaidByMethod(order);
  const methods = paidByMethod.map((entry) => entry.method);

  const [choices, setChoices] = useState<Record<string, LineChoice>>({});
  const [rows, setRows] = useState<PaymentRow[]>(() => [newPaymentRow(methods[0] ?? 'cash')]);
  const [reasonCode, setReasonCode] = useState<ReversalReasonCode | undefined>();
  const [note, setNote] = useState('');
  const [problem, setProblem] = useState<string | null>(null);

  const chosen = order.lines.filter((line) => choices[line.id]?.isChosen);
  const hasCourse = chosen.some(isCourseLine);
  const unitValueFen = chosen.filter((line) => !isCourseLine(line)).reduce((sum, line) => sum + unitsValue(line, choices[line.id]?.quantity ?? 0), 0);
  const mustPayBackFen = Math.max(0, order.paidFen - (order.dueFen - unitValueFen));
  const payouts = readPaymentRows(rows);
  const targetFen = hasCourse ? order.paidFen : Math.min(unitValueFen, order.paidFen);

  const choose = (lineId: string, patch: Partial<LineChoice>, left: number) =>
    setChoices((current) => ({ ...current, [lineId]: { isChosen: false, quantity: left, ...current[lineId], ...patch } }));

  const submit = async () => {
    if (refund.isPending) return;
    if (chosen.length === 0) return setProblem(t('orders.refundDialog.noLines'));
    if (!reasonCode) return setProblem(t('payments.reasonRequired'));
    if (!payouts.isValid) return setProblem(t('checkout.problems.invalidPayments'));
    setProblem(null);
    const trimmedNote = note.trim();
    const input: RefundInput = {
      lines: chosen.map((line) => (isCourseLine(line) ? { lineId: line.id } : { lineId: line.id, quantity: choices[line.id]?.quantity ?? unitsLeft(line) })),
      payouts: payouts.payments,
      reasonCode,
      ...(trimmedNote ? { note: trimmedNote } : {}),
    };
    try {
      await refund.mutateAsync({ id: order.id, input, idempotencyKey: idempotencyKeyFor({ orderId: order.id, input }) });
      void message.success(t('orders.refundDialog.done'));
      onClose();
    } catch (error) {
      // The server states the bounds exactly ("须退还至少 ¥…", "原路退回：…只收了 ¥…").
      setProblem(errorMessage(error));
    }
  };

  return (
    <Modal
      open
      title={t('orders.refundDialog.title', { number: order.number })}
      okText={t('orders.refundDialog.submit')}
      okButtonProps={{ danger: true, loading: refund.isPending }}
      onOk={() => void submit()}
      onCancel={onClose}
      width={680}
      destroyOnHidden
    >
      <Typography.Title level={5}>{t('orders.refundDialog.lines')}</Typography.Title>
      <Flex vertical gap="small">
        {order.lines.map((line) => {
          const isCourse = isCourseLine(line);
          const left = unitsLeft(line);
          const isDone = isCourse ? line.refundedFen >= line.amountFen : left <= 0;
          const choice = choices[line.id];
          return (
            <Flex key={line.id} justify="space-between" align="center" gap="small" wrap>
              <Checkbox
                aria-label={t('orders.refundDialog.selectLabel', { name: line.name })}
                disabled={isDone}
                checked={choice?.isChosen ?? false}
                onChange={(event) => choose(line.id, { isChosen: event.target.checked }, left)}
              >
                <Flex gap={6} align="center" wrap>
                  <span>{line.name}</span>
                  <Tag>{t(`orders.kind.${line.kind}`)}</Tag>
                  <Typography.Text type="secondary">{formatYuan(line.amountFen)}</Typography.Text>
                </Flex>
              </Checkbox>
              {isDone ? (
                <Typography.Text type="secondary">{t('orders.refundDialog.nothingLeft')}</Typography.Text>
              ) : isCourse ? (
                <Typography.Text type="secondary">{t('orders.refundDialog.courseHint')}</Typography.Text>
              ) : (
                <Flex gap="small" align="center">
                  <InputNumber<number>
                    aria-label={t('orders.refundDialog.quantityLabel', { name: line.name })}
                    min={1}
                    max={left}
                    precision={0}
                    disabled={!choice?.isChosen}
                    value={choice?.quantity ?? left}
                    onChange={(quantity) => choose(line.id, { quantity: quantity ?? 1 }, left)}
                  />
                  <Typography.Text type="secondary">{t('orders.refundDialog.remaining', { count: left })}</Typography.Text>
                </Flex>
              )}
            </Flex>
          );
        })}
      </Flex>
      {chosen.length > 0 && (
        <Alert
          type="info"
          showIcon
          style={{ marginTop: 12 }}
          title={
            !hasCourse
              ? t('orders.refundDialog.estimate', { amount: formatYuan(unitValueFen) })
              : unitValueFen > 0
                ? t('orders.refundDialog.estimateWithCourse', { amount: formatYuan(unitValueFen) })
                : t('orders.refundDialog.courseOnly')
          }
          description={
            !hasCourse && mustPayBackFen > 0
              ? t('orders.refundDialog.mustPayBack', {
                  paid: formatYuan(order.paidFen),
                  due: formatYuan(order.dueFen - unitValueFen),
                  amount: formatYuan(mustPayBackFen),
                })
              : undefined
          }
        />
      )}
      <Divider />
      <Typography.Title level={5}>{t('orders.refundDialog.payouts')}</Typography.Title>
      <Typography.Paragraph type="secondary">
        {t('orders.refundDialog.paidByMethod', {
          list: paidByMethod.map((entry) => `${methodLabel(entry.method)} ${formatYuan(entry.amountFen)}`).join('、') || t('common.empty'),
        })}
      </Typography.Paragraph>
      {methods.length > 0 && <PaymentRows rows={rows} onChange={setRows} targetFen={targetFen} methods={methods} variant="payout" />}
      <Divider />
      <Flex vertical gap="small">
        <Select<ReversalReasonCode>
          aria-label={t('orders.refundDialog.reason')}
          placeholder={t('orders.refundDialog.reason')}
          options={reasons.options}
          loading={reasons.isPending}
          value={reasonCode}
          onChange={setReasonCode}
        />
        <Input.TextArea
          aria-label={t('orders.refundDialog.note')}
          placeholder={t('payments.notePlaceholder')}
          autoSize={{ minRows: 2, maxRows: 4 }}
          maxLength={500}
          value={note}
          onChange={(event) => setNote(event.target.value)}
        />
      </Flex>
      {problem && <Alert type="error" showIcon role="alert" title={problem} style={{ marginTop: 12 }} />}
    </Modal>
  );
};
