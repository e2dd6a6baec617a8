import { Drawer } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Customer } from '../../shared/api-models';
import { CustomerForm } from './customer-form';

type CustomerFormDrawerProps = {
  open: boolean;
  customer?: Customer;
  referrer?: { id: string; name: string } | null;
  onClose: () => void;
  onSaved?: (customer: Customer) => void;
};

export const CustomerFormDrawer = ({ open, customer, referrer, onClose, onSaved }: CustomerFormDrawerProps) => {
  const { t } = useTranslation();
  return (
    <Drawer
      open={open}
      onClose={onClose}
      size={560}
      destroyOnHidden
      title={customer ? t('customerForm.editTitle', { name: customer.name }) : t('customerForm.createTitle')}
    >
      <CustomerForm
        customer={customer}
        referrer={referrer}
        onCancel={onClose}
        onSaved={(saved) => {
          onSaved?.(saved);
          onClose();
        }}
      />
    </Drawer>
  );
};
