import { Alert } from 'antd';
import { useTranslation } from 'react-i18next';

/**
 * The red allergy warning shown wherever a treatment is booked, sold or executed for a customer
 * with recorded allergies (SPEC §5). Renders nothing when there are none.
 */
export const AllergyAlert = ({ allergies }: { allergies: readonly string[] }) => {
  const { t } = useTranslation();
  if (allergies.length === 0) return null;
  return <Alert type="error" showIcon role="alert" title={t('customers.allergyWarning', { list: allergies.join('、') })} style={{ marginBottom: 12 }} />;
};
