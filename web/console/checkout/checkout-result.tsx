import { Alert, Button, Descriptions, Flex, Modal, Typography } from 'antd';
import { useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { Order } from '../../shared/api-models';
import { formatYuan } from '../../shared/money';
import { ReceiptButton } from '../orders/receipt-button';

type CheckoutResultProps = {
  order: Order | null;
  /** Closes the dialog; the desk starts the next customer. */
  onNext: () => void;
};

/** After 收银: number, total, paid and arrears, the receipt, and Enter for the next customer. */
export const CheckoutResult = ({ order, onNext }: CheckoutResultProps) => {
  const { t } = useTranslation();
  const nextButton = useRef<HTMLButtonElement>(null);
  const amount = (fen: number, isDanger = false) => (
    <Typography.Text type={isDanger ? 'danger' : undefined} style={{ fontSize: 18, fontVariantNumeric: 'tabular-nums' }}>
      {formatYuan(fen)}
    </Typography.Text>
  );

  return (
    <Modal
      open={order !== null}
      title={t('checkout.result.title')}
      onCancel={onNext}
      afterOpenChange={(open) => {
        if (open) nextButton.current?.focus();
      }}
      footer={
        order && (
          <Flex gap="small" justify="flex-end" wrap>
            <ReceiptButton orderId={order.id} />
            <Link to={`/orders/${order.id}`}>
              <Button>{t('checkout.actions.viewOrder')}</Button>
            </Link>
            <Button ref={nextButton} type="primary" onClick={onNext}>
              {t('checkout.actions.next')}
            </Button>
          </Flex>
        )
      }
    >
      {order && (
        <Flex vertical gap="middle">
          <Descriptions
            column={1}
            bordered
            size="small"
            items={[
              { key: 'number', label: t('checkout.result.number'), children: <Typography.Text copyable>{order.number}</Typography.Text> },
              { key: 'customer', label: t('checkout.result.customer'), children: order.customerName },
              { key: 'total', label: t('checkout.result.total'), children: amount(order.dueFen) },
              { key: 'paid', label: t('checkout.result.paid'), children: amount(order.paidFen) },
              {
                key: 'arrears',
                label: t('checkout.result.arrears'),
                children: amount(order.arrearsFen, order.arrearsFen > 0),
              },
            ]}
          />
          {order.arrearsFen > 0 && <Alert type="warning" showIcon title={t('checkout.result.arrearsNote')} />}
        </Flex>
      )}
    </Modal>
  );
};
