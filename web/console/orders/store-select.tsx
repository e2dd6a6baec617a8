import { Select } from 'antd';
import type { CSSProperties } from 'react';
import { useTranslation } from 'react-i18next';
import { useCurrentMe } from '../auth/me-context';

/** The store the desk works for: the first of the user's stores. */
export const useDefaultStoreId = (): string | undefined => useCurrentMe().stores[0]?.id;

type StoreSelectProps = {
  id?: string;
  value?: string;
  onChange?: (storeId: string | undefined) => void;
  /** Lists may show every store; money is always taken for one. */
  allowAll?: boolean;
  'aria-label'?: string;
  style?: CSSProperties;
};

/** The stores the signed-in user may work in (`me.stores`). */
export const StoreSelect = ({ id, value, onChange, allowAll = false, style, 'aria-label': ariaLabel }: StoreSelectProps) => {
  const { t } = useTranslation();
  const me = useCurrentMe();
  return (
    <Select<string>
      id={id}
      aria-label={ariaLabel}
      style={{ minWidth: 160, ...style }}
      value={value}
      allowClear={allowAll}
      placeholder={allowAll ? t('orders.filters.allStores') : undefined}
      options={me.stores.map((store) => ({ value: store.id, label: store.name }))}
      onChange={(next) => onChange?.(next ?? undefined)}
    />
  );
};
