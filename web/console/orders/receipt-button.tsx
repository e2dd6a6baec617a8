import { DownOutlined, PrinterOutlined } from '@ant-design/icons';
import { Button, Dropdown } from 'antd';
import { useTranslation } from 'react-i18next';
import type { ReceiptWidth } from '../../shared/api-models';

const widths: readonly ReceiptWidth[] = ['80', '58'];

/** The receipt is a print page of the console; opened in its own tab, it prints itself once. */
export const openReceipt = (orderId: string, width: ReceiptWidth) => {
  window.open(`/orders/${encodeURIComponent(orderId)}/receipt?width=${width}&print=1`, '_blank', 'noopener');
};

/** 打印小票 on 80 mm (the default) or 58 mm paper. */
export const ReceiptButton = ({ orderId, type }: { orderId: string; type?: 'primary' | 'default' }) => {
  const { t } = useTranslation();
  return (
    <Dropdown
      trigger={['click']}
      menu={{
        items: widths.map((width) => ({ key: width, label: t('payments.receiptWidth', { width }) })),
        onClick: ({ key }) => {
          const width = widths.find((candidate) => candidate === key);
          if (width) openReceipt(orderId, width);
        },
      }}
    >
      <Button type={type} icon={<PrinterOutlined />}>
        {t('payments.receipt')} <DownOutlined />
      </Button>
    </Dropdown>
  );
};
