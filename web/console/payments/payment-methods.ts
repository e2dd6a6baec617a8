import { useTranslation } from 'react-i18next';
import type { PaymentMethod } from '../../shared/api-models';

/** The methods the desk takes, in the order the cashier sees them; `stored_value` spends 储值, `points` is 积分抵现 (its amount is the cash value). */
const methodSet = { wechat: true, alipay: true, cash: true, bank_card: true, stored_value: true, points: true } satisfies Record<PaymentMethod, true>;
export const paymentMethods = Object.keys(methodSet).filter((method): method is PaymentMethod => method in methodSet);

export const isPaymentMethod = (value: unknown): value is PaymentMethod => paymentMethods.some((method) => method === value);

/** 现金, 微信支付 …; a method the console does not know yet shows as the server sent it. */
export const usePaymentMethodLabel = () => {
  const { t } = useTranslation();
  return (method: string): string => (isPaymentMethod(method) ? t(`payments.methods.${method}`) : method);
};

export const usePaymentMethodOptions = () => {
  const label = usePaymentMethodLabel();
  return paymentMethods.map((method) => ({ value: method, label: label(method) }));
};
