import { Descriptions, Flex, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Order } from '../../shared/api-models';
import { formatYuan } from '../../shared/money';
import { AllergyAlert } from '../common/allergy-alert';

/** What a payment dialog shows of the order: the allergy warning, customer, lines and amounts. */
export const OrderBrief = ({ order }: { order: Order }) => {
  const { t } = useTranslation();
  return (
    <Flex vertical gap="small" style={{ marginBottom: 16 }}>
      <AllergyAlert allergies={order.allergies} />
      <Descriptions
        size="small"
        column={2}
        items={[
          { key: 'customer', label: t('orders.fields.customer'), children: order.customerName },
          { key: 'store', label: t('orders.fields.store'), children: order.storeName },
          { key: 'type', label: t('orders.fields.orderType'), children: order.orderType },
          { key: 'openedBy', label: t('orders.fields.openedBy'), children: order.openedByName ?? t('common.empty') },
        ]}
      />
      <Flex vertical gap={2}>
        {order.lines.map((line) => (
          <Flex key={line.id} justify="space-between">
            <Typography.Text>
              {line.name} × {line.quantity}
            </Typography.Text>
            <Typography.Text style={{ fontVariantNumeric: 'tabular-nums' }}>{formatYuan(line.amountFen)}</Typography.Text>
          </Flex>
        ))}
      </Flex>
      <Flex justify="space-between">
        <Typography.Text strong>{t('orders.amounts.due')}</Typography.Text>
        <Typography.Text strong style={{ fontSize: 18, fontVariantNumeric: 'tabular-nums' }}>
          {formatYuan(order.dueFen)}
        </Typography.Text>
      </Flex>
    </Flex>
  );
};
