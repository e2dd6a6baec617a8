import { Alert, type InputRef, Modal, Skeleton, Typography } from 'antd';
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Order } from '../../shared/api-models';
import { formatYuan } from '../../shared/money';
import { useErrorMessage } from '../common/error-message';
import { useIdempotencyKey } from '../common/use-idempotency-key';
import { newPaymentRow, type PaymentRow, PaymentRows, readPaymentRows } from '../payments/payment-rows';
import { OrderBrief } from './order-brief';
import { useCheckoutOrder, useOrder } from './order-queries';

type CheckoutOrderDialogProps = {
  orderId: string;
  onClose: () => void;
  onDone: (order: Order) => void;
};

/** 收银 of a queued order: payments by method, the rest becomes arrears. */
export const CheckoutOrderDialog = ({ orderId, onClose, onDone }: CheckoutOrderDialogProps) => {
  const { t } = useTranslation();
  const errorMessage = useErrorMessage();
  const order = useOrder(orderId);
  const checkout = useCheckoutOrder();
  const idempotencyKeyFor = useIdempotencyKey();
  const [rows, setRows] = useState<PaymentRow[]>(() => [newPaymentRow()]);
  const [problem, setProblem] = useState<string | null>(null);
  const firstAmount = useRef<InputRef>(null);

  const dueFen = order.data?.dueFen ?? 0;
  const paid = readPaymentRows(rows);
  const arrearsFen = Math.max(0, dueFen - paid.totalFen);

  const submit = async () => {
    if (checkout.isPending || !order.data) return;
    if (!paid.isValid) return setProblem(t('checkout.problems.invalidPayments'));
    if (paid.totalFen > dueFen) return setProblem(t('checkout.problems.overpaid'));
    setProblem(null);
    const input = { payments: paid.payments };
    try {
      onDone(await checkout.mutateAsync({ id: orderId, input, idempotencyKey: idempotencyKeyFor({ orderId, input }) }));
    } catch (error) {
      setProblem(errorMessage(error));
    }
  };

  return (
    <Modal
      open
      title={t('orders.checkoutDialog.title', { number: order.data?.number ?? '' })}
      okText={t('orders.checkoutDialog.submit')}
      okButtonProps={{ loading: checkout.isPending, disabled: !order.data }}
      onOk={() => void submit()}
      onCancel={onClose}
      afterOpenChange={(open) => {
        if (open) firstAmount.current?.focus();
      }}
      width={560}
      destroyOnHidden
    >
      {order.isError && <Alert type="error" showIcon title={errorMessage(order.error)} />}
      {order.isPending && <Skeleton active />}
      {order.data && (
        <>
          <OrderBrief order={order.data} />
          <PaymentRows rows={rows} onChange={setRows} targetFen={dueFen} firstAmountRef={firstAmount} onSubmit={() => void submit()} />
          {arrearsFen > 0 && (
            <Typography.Paragraph type="danger" style={{ marginTop: 12, marginBottom: 0 }}>
              {t('checkout.summary.arrearsHint', { amount: formatYuan(arrearsFen) })}
            </Typography.Paragraph>
          )}
        </>
      )}
      {problem && <Alert type="error" showIcon role="alert" title={problem} style={{ marginTop: 12 }} />}
    </Modal>
  );
};
