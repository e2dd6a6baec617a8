import { Alert, App, Descriptions, Form, Input, InputNumber, Modal, Select, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CustomerCourseItem, DeductionInput } from '../../shared/api-models';
import { useCurrentMe } from '../auth/me-context';
import { AllergyAlert } from '../common/allergy-alert';
import { useErrorMessage } from '../common/error-message';
import { useIdempotencyKey } from '../common/use-idempotency-key';
import { useStaff } from '../customers/customer-queries';
import { StoreSelect, useDefaultStoreId } from '../orders/store-select';
import { useDeduct } from './course-queries';
import type { DeductCustomer } from './deduct-button';

type DeductValues = { sessions: number; executorId?: string; storeId?: string; note?: string };

type DeductDialogProps = {
  courseItem: CustomerCourseItem;
  customer: DeductCustomer;
  courseName?: string;
  /** Sessions proposed, e.g. the quantity of the checkout line being deducted instead of charged (default 1). */
  initialSessions?: number;
  onClose: () => void;
  /** After the deduction is written (before `onClose`). */
  onDeducted?: () => void;
};

export const DeductDialog = ({ courseItem, customer, courseName, initialSessions = 1, onClose, onDeducted }: DeductDialogProps) => {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const me = useCurrentMe();
  const errorMessage = useErrorMessage();
  const staff = useStaff();
  const staffItems = staff.data?.items ?? [];
  // Doctors and nurses usually record their own work; everyone else picks the executor.
  const executorOptions = [...staffItems]
    .sort((a, b) => Number(b.role === 'doctor_nurse') - Number(a.role === 'doctor_nurse'))
    .map((member) => ({ value: member.id, label: t('header.userRole', { name: member.displayName, role: t(`roles.${member.role}`) }) }));
  const deduct = useDeduct();
  const idempotencyKeyFor = useIdempotencyKey();
  const [form] = Form.useForm<DeductValues>();
  const [problem, setProblem] = useState<string | null>(null);
  const defaultStoreId = useDefaultStoreId();
  const remaining = courseItem.remainingSessions;

  const submit = async (values: DeductValues) => {
    if (!values.executorId || !values.storeId) return;
    setProblem(null);
    const note = values.note?.trim();
    const input: DeductionInput = {
      storeId: values.storeId,
      sessions: values.sessions,
      executorId: values.executorId,
      ...(note ? { note } : {}),
    };
    try {
      await deduct.mutateAsync({ courseItemId: courseItem.id, input, idempotencyKey: idempotencyKeyFor({ courseItemId: courseItem.id, input }) });
      void message.success(t('courses.deducted', { sessions: values.sessions, name: courseItem.name }));
      onDeducted?.();
      onClose();
    } catch (error) {
      setProblem(errorMessage(error));
    }
  };

  return (
    <Modal
      open
      title={t('courses.deductTitle', { name: courseItem.name })}
      okText={t('courses.deduct')}
      okButtonProps={{ loading: deduct.isPending }}
      onOk={() => form.submit()}
      onCancel={onClose}
      destroyOnHidden
    >
      <AllergyAlert allergies={customer.allergies} />
      <Descriptions
        size="small"
        column={1}
        style={{ marginBottom: 12 }}
        items={[
          {
            key: 'who',
            label: t('courses.member'),
            children: courseName ? t('courses.deductFor', { customer: customer.name, course: courseName }) : customer.name,
          },
          { key: 'item', label: t('courses.item'), children: courseItem.name },
          {
            key: 'remaining',
            label: t('courses.remainingNow'),
            children: (
              <Typography.Text strong type={remaining > 0 ? undefined : 'danger'}>
                {t('courses.remaining', { count: remaining })}
              </Typography.Text>
            ),
          },
        ]}
      />
      {problem && <Alert type="error" showIcon role="alert" title={problem} style={{ marginBottom: 12 }} />}
      <Form<DeductValues>
        form={form}
        layout="vertical"
        initialValues={{
          sessions: initialSessions,
          storeId: defaultStoreId,
          executorId: me.user.role === 'doctor_nurse' ? me.user.id : undefined,
        }}
        onFinish={(values) => void submit(values)}
      >
        <Form.Item name="sessions" label={t('courses.fields.sessions')} rules={[{ required: true }]}>
          {/* No max here: more than she has left is refused by the server with what is left, never quietly lowered. */}
          <InputNumber<number> aria-label={t('courses.fields.sessions')} min={1} max={999} precision={0} autoFocus style={{ width: 120 }} />
        </Form.Item>
        <Form.Item name="executorId" label={t('courses.fields.executor')} rules={[{ required: true, message: t('courses.fields.executorRequired') }]}>
          <Select
            showSearch={{ optionFilterProp: 'label' }}
            options={executorOptions}
            loading={staff.isPending}
            placeholder={t('courses.fields.executorRequired')}
          />
        </Form.Item>
        <Form.Item name="storeId" label={t('courses.fields.store')} rules={[{ required: true, message: t('courses.fields.storeRequired') }]}>
          <StoreSelect />
        </Form.Item>
        <Form.Item name="note" label={t('courses.fields.note')}>
          <Input.TextArea autoSize={{ minRows: 2, maxRows: 4 }} maxLength={500} placeholder={t('courses.fields.notePlaceholder')} />
        </Form.Item>
      </Form>
    </Modal>
  );
};
