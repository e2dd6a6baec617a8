import { useServerText } from '../common/server-text';

/** A voucher's customer-facing title (composed and stored by the server in Chinese) in the console's language. */
export const VoucherTitle = ({ title }: { title: string }) => <>{useServerText().voucherTitle(title)}</>;
