import { WarningFilled } from '@ant-design/icons';
import { Tooltip, theme } from 'antd';
import { useTranslation } from 'react-i18next';

/** A red warning beside a name wherever a customer with allergies is listed. */
export const AllergyIcon = ({ allergies }: { allergies: readonly string[] }) => {
  const { t } = useTranslation();
  const { token } = theme.useToken();
  if (allergies.length === 0) return null;
  const text = t('customers.allergyWarning', { list: allergies.join('、') });
  return (
    <Tooltip title={text}>
      <WarningFilled aria-label={text} style={{ color: token.colorError }} />
    </Tooltip>
  );
};
