import { Alert, App, Flex, type InputRef, Modal, Typography } from 'antd';
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Order } from '../../shared/api-models';
import { formatYuan } from '../../shared/money';
import { AllergyAlert } from '../common/allergy-alert';
import { useErrorMessage } from '../common/error-message';
import { useIdempotencyKey } from '../common/use-idempotency-key';
import { newPaymentRow, type PaymentRow, PaymentRows, readPaymentRows } from '../payments/payment-rows';
import { usePayArrears } from './order-queries';

/** 补缴欠费: further payments on a placed order, up to its arrears. */
export const PayArrearsDialog = ({ order, onClose }: { order: Order; onClose: () => void }) => {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const errorMessage = useErrorMessage();
  const payArrears = usePayArrears();
  const idempotencyKeyFor = useIdempotencyKey();
  const [rows, setRows] = useState<PaymentRow[]>(() => [newPaymentRow()]);
  const [problem, setProblem] = useState<string | null>(null);
  const firstAmount = useRef<InputRef>(null);
  const paid = readPaymentRows(rows);

  const submit = async () => {
    if (payArrears.isPending) return;
    if (!paid.isValid || paid.payments.length === 0) return setProblem(t('checkout.problems.invalidPayments'));
    setProblem(null);
    const input = { payments: paid.payments };
    try {
      await payArrears.mutateAsync({ id: order.id, input, idempotencyKey: idempotencyKeyFor({ orderId: order.id, input }) });
      void message.success(t('orders.payArrearsDialog.done', { amount: formatYuan(paid.totalFen) }));
      onClose();
    } catch (error) {
      setProblem(errorMessage(error));
    }
  };

  return (
    <Modal
      open
      title={t('orders.payArrearsDialog.title', { number: order.number })}
      okText={t('orders.payArrearsDialog.submit')}
      okButtonProps={{ loading: payArrears.isPending }}
      onOk={() => void submit()}
      onCancel={onClose}
      afterOpenChange={(open) => {
        if (open) firstAmount.current?.focus();
      }}
      width={560}
      destroyOnHidden
    >
      <AllergyAlert allergies={order.allergies} />
      <Flex justify="space-between" style={{ marginBottom: 16 }}>
        <Typography.Text>{t('orders.payArrearsDialog.arrears')}</Typography.Text>
        <Typography.Text type="danger" strong style={{ fontSize: 18, fontVariantNumeric: 'tabular-nums' }}>
          {formatYuan(order.arrearsFen)}
        </Typography.Text>
      </Flex>
      <PaymentRows rows={rows} onChange={setRows} targetFen={order.arrearsFen} firstAmountRef={firstAmount} onSubmit={() => void submit()} />
      {problem && <Alert type="error" showIcon role="alert" title={problem} style={{ marginTop: 12 }} />}
    </Modal>
  );
};
