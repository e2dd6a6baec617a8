import { App, Button, Descriptions, Form, Input, Modal, Select } from 'antd';
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import type { Appointment, ArriveInput, VisitType } from '../../shared/api-models';
import { useCan } from '../auth/me-context';
import { AllergyAlert } from '../common/allergy-alert';
import { FormProblemAlert } from '../common/form-problem-alert';
import { type FormProblem, usePlaceServerErrors } from '../common/form-server-errors';
import { formatTenantTime, useTenantTimezone } from '../common/tenant-time';
import { useStaff } from '../customers/customer-queries';
import { useStaffOptions } from '../customers/options';
import { useVisitProposal } from '../visits/visit-queries';
import { VisitTypeChooser } from '../visits/visit-type-chooser';
import { useArriveAppointment } from './appointment-queries';

type ArriveValues = { visitType?: VisitType; consultantId?: string; notes?: string };

type ArriveDialogProps = { appointment: Appointment | null; onClose: () => void };

/** 到店: registers the appointment's customer as arrived, with the proposed (or chosen) visit type. */
export const ArriveDialog = ({ appointment, onClose }: ArriveDialogProps) =>
  appointment ? <ArriveModal key={appointment.id} appointment={appointment} onClose={onClose} /> : null;

const ArriveModal = ({ appointment, onClose }: { appointment: Appointment; onClose: () => void }) => {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const timezoneName = useTenantTimezone();
  const [form] = Form.useForm<ArriveValues>();
  const [problem, setProblem] = useState<FormProblem | null>(null);
  const placeServerErrors = usePlaceServerErrors();
  const proposal = useVisitProposal(appointment.customerId);
  const staff = useStaff();
  const staffOptions = useStaffOptions(staff.data?.items ?? []);
  const arrive = useArriveAppointment();
  const navigate = useNavigate();
  const canOpenOrders = useCan('orders.open');
  // Which button submitted: arrival alone, or arrival and then the desk with her chosen.
  const thenCheckout = useRef(false);

  const submit = async (values: ArriveValues) => {
    setProblem(null);
    const proposed = proposal.data?.type;
    const input: ArriveInput = {
      ...(values.visitType && values.visitType !== proposed ? { visitType: values.visitType } : {}),
      consultantId: values.consultantId ?? null,
      ...(values.notes?.trim() ? { notes: values.notes.trim() } : {}),
    };
    try {
      const visit = await arrive.mutateAsync({ id: appointment.id, input });
      void message.success(t('appointments.arrive.done', { name: visit.customerName, type: t(`visits.types.${visit.visitType}`) }));
      onClose();
      if (thenCheckout.current) void navigate(`/checkout?customerId=${appointment.customerId}`);
    } catch (error) {
      setProblem(
        placeServerErrors(form, error, {
          knownFields: [['visitType'], ['consultantId'], ['notes']],
          failedTitle: t('appointments.arrive.failed'),
        }),
      );
    }
  };

  const start = formatTenantTime(appointment.startsAt, timezoneName);
  return (
    <Modal
      open
      width={600}
      title={t('appointments.arrive.title', { name: appointment.customerName })}
      onCancel={onClose}
      footer={[
        <Button key="cancel" onClick={onClose}>
          {t('common.cancel')}
        </Button>,
        <Button
          key="arrive"
          type={canOpenOrders ? 'default' : 'primary'}
          disabled={!proposal.data}
          loading={arrive.isPending && !thenCheckout.current}
          onClick={() => {
            thenCheckout.current = false;
            form.submit();
          }}
        >
          {t('appointments.arrive.submit')}
        </Button>,
        ...(canOpenOrders
          ? [
              <Button
                key="checkout"
                type="primary"
                disabled={!proposal.data}
                loading={arrive.isPending && thenCheckout.current}
                onClick={() => {
                  thenCheckout.current = true;
                  form.submit();
                }}
              >
                {t('appointments.arrive.submitAndCheckout')}
              </Button>,
            ]
          : []),
      ]}
    >
      <Form<ArriveValues>
        form={form}
        name="arrive"
        layout="vertical"
        initialValues={{ consultantId: appointment.staffId ?? undefined }}
        onFinish={(values) => void submit(values)}
      >
        <AllergyAlert allergies={appointment.allergies} />
        <FormProblemAlert problem={problem} />
        <Descriptions
          size="small"
          column={2}
          style={{ marginBottom: 16 }}
          items={[
            { key: 'time', label: t('appointments.fields.time'), children: `${appointment.businessDate} ${start}` },
            { key: 'staff', label: t('appointments.fields.staff'), children: appointment.staffName ?? t('appointments.unassigned') },
            {
              key: 'items',
              label: t('appointments.fields.items'),
              span: 2,
              children: appointment.items.length > 0 ? appointment.items.map((item) => item.name).join('、') : t('common.empty'),
            },
          ]}
        />
        <VisitTypeChooser customerId={appointment.customerId} />
        <Form.Item name="consultantId" label={t('visits.fields.consultant')}>
          <Select allowClear showSearch={{ optionFilterProp: 'label' }} placeholder={t('visits.consultantPlaceholder')} options={staffOptions} />
        </Form.Item>
        <Form.Item name="notes" label={t('visits.fields.notes')} rules={[{ max: 500 }]} style={{ marginBottom: 0 }}>
          <Input.TextArea rows={2} />
        </Form.Item>
      </Form>
    </Modal>
  );
};
