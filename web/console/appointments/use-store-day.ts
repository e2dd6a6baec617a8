import { useSearchParams } from 'react-router';
import { useCurrentMe } from '../auth/me-context';
import { isIsoDate, tenantToday, useTenantTimezone } from '../common/tenant-time';

/**
 * The store and business day the appointment book and the arrival desk show, kept in the
 * address bar (`?storeId=&date=`) so a link or a reload shows the same day. Stores are the ones
 * the signed-in staff member works in; the day defaults to today at the clinic.
 */
export const useStoreDay = () => {
  const me = useCurrentMe();
  const timezoneName = useTenantTimezone();
  const [params, setParams] = useSearchParams();
  const today = tenantToday(timezoneName);
  const storeParam = params.get('storeId');
  const storeId = me.stores.find((store) => store.id === storeParam)?.id ?? me.stores[0]?.id;
  const dateParam = params.get('date');
  const date = isIsoDate(dateParam) ? dateParam : today;

  const set = (key: 'storeId' | 'date', value: string | undefined) =>
    setParams((current) => {
      const next = new URLSearchParams(current);
      if (value === undefined || (key === 'date' && value === today)) next.delete(key);
      else next.set(key, value);
      return next;
    });

  return {
    stores: me.stores,
    storeId,
    date,
    today,
    isToday: date === today,
    setStoreId: (value: string) => set('storeId', value),
    setDate: (value: string) => set('date', value),
  };
};

export type StoreDay = ReturnType<typeof useStoreDay>;
