import { Alert, App, Form, Modal, Radio } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Visit, VisitType } from '../../shared/api-models';
import { useErrorMessage } from '../common/error-message';
import { useServerText } from '../common/server-text';
import { useChangeVisitType } from './visit-queries';
import { useVisitTypeOptions } from './visit-types';

/** 修改到访类型: the type of the customer's whole day changes, with that day's visits and orders (PATCH /visits/{id}). */
export const ChangeVisitTypeDialog = ({ visit, onClose }: { visit: Visit | null; onClose: () => void }) =>
  visit ? <ChangeVisitTypeModal key={visit.id} visit={visit} onClose={onClose} /> : null;

const ChangeVisitTypeModal = ({ visit, onClose }: { visit: Visit; onClose: () => void }) => {
  const { t } = useTranslation();
  const { visitReason } = useServerText();
  const { message } = App.useApp();
  const errorMessage = useErrorMessage();
  const [form] = Form.useForm<{ visitType: VisitType }>();
  const options = useVisitTypeOptions();
  const change = useChangeVisitType();

  const submit = ({ visitType }: { visitType: VisitType }) => {
    if (visitType === visit.visitType) {
      onClose();
      return;
    }
    change.mutate(
      { id: visit.id, visitType },
      {
        onSuccess: (saved) => {
          void message.success(t('visits.change.done', { name: saved.customerName, type: t(`visits.types.${saved.visitType}`) }));
          onClose();
        },
        onError: (error) => form.setFields([{ name: 'visitType', errors: [errorMessage(error)] }]),
      },
    );
  };

  return (
    <Modal
      open
      title={t('visits.change.title', { name: visit.customerName })}
      okText={t('common.save')}
      confirmLoading={change.isPending}
      onOk={() => form.submit()}
      onCancel={onClose}
    >
      <Form form={form} name="change-visit-type" layout="vertical" initialValues={{ visitType: visit.visitType }} onFinish={submit}>
        <Alert
          type="info"
          showIcon
          title={t('visits.proposal', { type: t(`visits.types.${visit.proposedType}`) })}
          description={t('visits.proposalReason', { reason: visitReason(visit.proposalReason) })}
          style={{ marginBottom: 16 }}
        />
        <Form.Item name="visitType" label={t('visits.fields.visitType')} extra={t('visits.change.wholeDay')} style={{ marginBottom: 0 }}>
          <Radio.Group optionType="button" buttonStyle="solid" options={options} />
        </Form.Item>
      </Form>
    </Modal>
  );
};
