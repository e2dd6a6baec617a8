import { DownOutlined, PrinterOutlined } from '@ant-design/icons';
import { Button, Dropdown, Space } from 'antd';
import { useTranslation } from 'react-i18next';
import type { ReceiptWidth } from '../../shared/api-models';

const widths: readonly ReceiptWidth[] = ['80', '58'];

/** The receipt is a print page of the console; opened in its own tab, it prints itself once. */
export const openReceipt = (orderId: string, width: ReceiptWidth) => {
  window.open(`/orders/${encodeURIComponent(orderId)}/receipt?width=${width}&print=1`, '_blank', 'noopener');
};

/** 打印小票: one click prints on 80 mm paper (the default); the arrow offers 58 mm. */
export const ReceiptButton = ({ orderId, type }: { orderId: string; type?: 'primary' | 'default' }) => {
  const { t } = useTranslation();
  const [first = '80', ...others] = widths;
  return (
    <Space.Compact>
      <Button type={type} icon={<PrinterOutlined />} onClick={() => openReceipt(orderId, first)}>
        {t('payments.receipt')}
      </Button>
      <Dropdown
        trigger={['click']}
        menu={{
          items: others.map((width) => ({ key: width, label: t('payments.receiptWidth', { width }) })),
          onClick: ({ key }) => {
            const width = widths.find((candidate) => candidate === key);
            if (width) openReceipt(orderId, width);
          },
        }}
      >
        <Button type={type} icon={<DownOutlined />} aria-label={t('payments.receiptOtherWidths')} />
      </Dropdown>
    </Space.Compact>
  );
};
