import { Drawer } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Item } from '../../shared/api-models';
import { ItemForm } from './item-form';

type ItemFormDrawerProps = { open: boolean; item?: Item; onClose: () => void };

export const ItemFormDrawer = ({ open, item, onClose }: ItemFormDrawerProps) => {
  const { t } = useTranslation();
  return (
    <Drawer
      open={open}
      onClose={onClose}
      size={600}
      destroyOnHidden
      title={item ? t('catalog.form.editTitle', { name: item.name }) : t('catalog.form.createTitle')}
    >
      <ItemForm item={item} onCancel={onClose} onSaved={onClose} />
    </Drawer>
  );
};
