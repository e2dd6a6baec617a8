import { App, Button, Drawer, Flex, Form, Input, Select } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { VisitInput, VisitType } from '../../shared/api-models';
import { AllergyAlert } from '../common/allergy-alert';
import { FormProblemAlert } from '../common/form-problem-alert';
import { type FormProblem, usePlaceServerErrors } from '../common/form-server-errors';
import { useCustomer, useStaff } from '../customers/customer-queries';
import { CustomerSearchSelect } from '../customers/customer-search-select';
import { useStaffOptions } from '../customers/options';
import { useRegisterVisit, useVisitProposal } from './visit-queries';
import { VisitTypeChooser } from './visit-type-chooser';

type WalkInValues = { customerId?: string; visitType?: VisitType; consultantId?: string; notes?: string };

type WalkInDrawerProps = { open: boolean; storeId: string | undefined; storeName?: string; onClose: () => void };

/** 到访登记 without an appointment: the customer, the proposed (or chosen) visit type, the consultant. */
export const WalkInDrawer = ({ open, storeId, storeName, onClose }: WalkInDrawerProps) => {
  const { t } = useTranslation();
  return (
    <Drawer open={open} onClose={onClose} size={560} destroyOnHidden title={t('visits.walkIn.title', { store: storeName ?? '' })}>
      {storeId && <WalkInForm storeId={storeId} onDone={onClose} />}
    </Drawer>
  );
};

const WalkInForm = ({ storeId, onDone }: { storeId: string; onDone: () => void }) => {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<WalkInValues>();
  const [problem, setProblem] = useState<FormProblem | null>(null);
  const placeServerErrors = usePlaceServerErrors();
  const customerId = Form.useWatch('customerId', form);
  const customer = useCustomer(customerId);
  const proposal = useVisitProposal(customerId);
  const staff = useStaff();
  const staffOptions = useStaffOptions(staff.data?.items ?? []);
  const register = useRegisterVisit();

  // The customer's own consultant is the usual one; staff may pick another.
  const defaultConsultant = customer.data?.consultantId ?? undefined;
  useEffect(() => {
    form.setFieldValue('consultantId', defaultConsultant);
  }, [form, defaultConsultant]);

  const submit = async (values: WalkInValues) => {
    setProblem(null);
    if (!values.customerId) return;
    const input: VisitInput = {
      customerId: values.customerId,
      storeId,
      ...(values.visitType && values.visitType !== proposal.data?.type ? { visitType: values.visitType } : {}),
      consultantId: values.consultantId ?? null,
      ...(values.notes?.trim() ? { notes: values.notes.trim() } : {}),
    };
    try {
      const visit = await register.mutateAsync(input);
      void message.success(t('visits.walkIn.done', { name: visit.customerName, type: t(`visits.types.${visit.visitType}`) }));
      onDone();
    } catch (error) {
      setProblem(
        placeServerErrors(form, error, {
          knownFields: [['customerId'], ['visitType'], ['consultantId'], ['notes']],
          failedTitle: t('visits.walkIn.failed'),
        }),
      );
    }
  };

  return (
    <Form<WalkInValues> form={form} name="walk-in" layout="vertical" onFinish={(values) => void submit(values)}>
      <FormProblemAlert problem={problem} />
      <Form.Item name="customerId" label={t('visits.fields.customer')} rules={[{ required: true, message: t('visits.walkIn.customerRequired') }]}>
        <CustomerSearchSelect placeholder={t('visits.walkIn.customerPlaceholder')} />
      </Form.Item>
      {customer.data && <AllergyAlert allergies={customer.data.allergies} />}
      <VisitTypeChooser customerId={customerId} />
      <Form.Item name="consultantId" label={t('visits.fields.consultant')}>
        <Select allowClear showSearch={{ optionFilterProp: 'label' }} placeholder={t('visits.consultantPlaceholder')} options={staffOptions} />
      </Form.Item>
      <Form.Item name="notes" label={t('visits.fields.notes')} rules={[{ max: 500 }]}>
        <Input.TextArea rows={2} />
      </Form.Item>
      <Flex gap="small" justify="flex-end">
        <Button onClick={onDone}>{t('common.cancel')}</Button>
        <Button type="primary" htmlType="submit" loading={register.isPending} disabled={Boolean(customerId) && !proposal.data}>
          {t('visits.walkIn.submit')}
        </Button>
      </Flex>
    </Form>
  );
};
