import { Alert, Form, Radio, Skeleton } from 'antd';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { useErrorMessage } from '../common/error-message';
import { useServerText } from '../common/server-text';
import { useVisitProposal } from './visit-queries';
import { useVisitTypeOptions } from './visit-types';

/**
 * 到访类型 for an arrival (SPEC §3): the system's proposal and its reason, which staff may
 * override — except when the customer already visited today, since the day's first visit sets
 * the day's type. Lives in a form with a `visitType` field; the form sends the type only when it
 * differs from the proposal.
 */
export const VisitTypeChooser = ({ customerId }: { customerId: string | undefined }) => {
  const { t } = useTranslation();
  const { visitReason } = useServerText();
  const errorMessage = useErrorMessage();
  const form = Form.useFormInstance();
  const proposal = useVisitProposal(customerId);
  const options = useVisitTypeOptions();
  const chosen: unknown = Form.useWatch('visitType', form);

  useEffect(() => {
    if (proposal.data) form.setFieldValue('visitType', proposal.data.type);
  }, [form, proposal.data]);

  if (!customerId) return null;
  if (proposal.isPending) return <Skeleton active paragraph={{ rows: 2 }} title={false} />;
  if (proposal.isError) return <Alert type="error" showIcon title={errorMessage(proposal.error)} style={{ marginBottom: 16 }} />;

  const { type, reason, isDayTypeFixed } = proposal.data;
  const proposedLabel = t(`visits.types.${type}`);
  const isOverridden = typeof chosen === 'string' && chosen !== type;
  return (
    <>
      <Alert
        type={isDayTypeFixed ? 'warning' : 'info'}
        showIcon
        title={isDayTypeFixed ? t('visits.dayTypeFixedTitle', { type: proposedLabel }) : t('visits.proposal', { type: proposedLabel })}
        description={isDayTypeFixed ? t('visits.dayTypeFixed') : t('visits.proposalReason', { reason: visitReason(reason) })}
        style={{ marginBottom: 16 }}
      />
      <Form.Item
        name="visitType"
        label={t('visits.fields.visitType')}
        extra={isOverridden ? t('visits.overrideHint', { type: proposedLabel }) : undefined}
        rules={[{ required: true }]}
      >
        <Radio.Group optionType="button" buttonStyle="solid" options={options} disabled={isDayTypeFixed} />
      </Form.Item>
    </>
  );
};
