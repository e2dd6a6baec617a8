import { App, Button, DatePicker, Drawer, Flex, Form, Input, InputNumber, Select, TimePicker } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AppointmentInput } from '../../shared/api-models';
import { ItemSearchSelect } from '../catalog/item-search-select';
import { AllergyAlert } from '../common/allergy-alert';
import { FormProblemAlert } from '../common/form-problem-alert';
import { type FormProblem, usePlaceServerErrors } from '../common/form-server-errors';
import { tenantDateTimeIso, tenantToday, useTenantTimezone } from '../common/tenant-time';
import { useCustomer, useStaff } from '../customers/customer-queries';
import { CustomerSearchSelect } from '../customers/customer-search-select';
import { useStaffOptions } from '../customers/options';
import { useBookAppointment } from './appointment-queries';

type BookValues = {
  customerId?: string;
  storeId?: string;
  staffId?: string;
  date?: Dayjs;
  time?: Dayjs;
  durationMinutes: number;
  itemIds: string[];
  notes?: string;
};

type BookAppointmentDrawerProps = {
  open: boolean;
  onClose: () => void;
  stores: readonly { id: string; name: string }[];
  /** Preselected: the store and day the book shows, or the customer whose page this is. */
  defaults: { storeId?: string; date?: string; customer?: { id: string; name: string } };
};

export const BookAppointmentDrawer = ({ open, onClose, stores, defaults }: BookAppointmentDrawerProps) => {
  const { t } = useTranslation();
  return (
    <Drawer open={open} onClose={onClose} size={560} destroyOnHidden title={t('appointments.book.title')}>
      <BookAppointmentForm stores={stores} defaults={defaults} onDone={onClose} />
    </Drawer>
  );
};

const BookAppointmentForm = ({ stores, defaults, onDone }: Omit<BookAppointmentDrawerProps, 'open' | 'onClose'> & { onDone: () => void }) => {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const timezoneName = useTenantTimezone();
  const [form] = Form.useForm<BookValues>();
  const [problem, setProblem] = useState<FormProblem | null>(null);
  const placeServerErrors = usePlaceServerErrors();
  const customerId = Form.useWatch('customerId', form);
  const customer = useCustomer(customerId);
  const staff = useStaff();
  const staffOptions = useStaffOptions(staff.data?.items ?? []);
  const book = useBookAppointment();

  const initialValues: BookValues = {
    customerId: defaults.customer?.id,
    storeId: defaults.storeId ?? stores[0]?.id,
    date: dayjs(defaults.date ?? tenantToday(timezoneName)),
    durationMinutes: 60,
    itemIds: [],
  };

  const submit = async (values: BookValues) => {
    setProblem(null);
    // With one store the store field is not shown, so it is not among the submitted values.
    const storeId = values.storeId ?? initialValues.storeId;
    if (!values.customerId || !storeId || !values.date || !values.time) return;
    const input: AppointmentInput = {
      customerId: values.customerId,
      storeId,
      staffId: values.staffId ?? null,
      startsAt: tenantDateTimeIso(values.date.format('YYYY-MM-DD'), values.time.format('HH:mm'), timezoneName),
      durationMinutes: values.durationMinutes,
      itemIds: values.itemIds,
      notes: values.notes?.trim() || null,
    };
    try {
      const booked = await book.mutateAsync(input);
      void message.success(t('appointments.book.done', { name: booked.customerName, date: booked.businessDate }));
      onDone();
    } catch (error) {
      setProblem(
        placeServerErrors(form, error, {
          knownFields: [['customerId'], ['storeId'], ['staffId'], ['time'], ['durationMinutes'], ['itemIds'], ['notes']],
          rename: { startsAt: ['time'] },
          failedTitle: t('appointments.book.failed'),
        }),
      );
    }
  };

  return (
    <Form<BookValues> form={form} name="book" layout="vertical" initialValues={initialValues} onFinish={(values) => void submit(values)} scrollToFirstError>
      <FormProblemAlert problem={problem} />
      <Form.Item name="customerId" label={t('appointments.fields.customer')} rules={[{ required: true, message: t('appointments.book.customerRequired') }]}>
        <CustomerSearchSelect placeholder={t('appointments.book.customerPlaceholder')} initialOption={defaults.customer} />
      </Form.Item>
      {customer.data && <AllergyAlert allergies={customer.data.allergies} />}
      {stores.length > 1 && (
        <Form.Item name="storeId" label={t('appointments.store')} rules={[{ required: true }]}>
          <Select options={stores.map((store) => ({ value: store.id, label: store.name }))} />
        </Form.Item>
      )}
      <Form.Item name="staffId" label={t('appointments.fields.staff')} extra={t('appointments.book.staffHelp')}>
        <Select
          allowClear
          showSearch={{ optionFilterProp: 'label' }}
          placeholder={t('appointments.unassigned')}
          loading={staff.isPending}
          options={staffOptions}
        />
      </Form.Item>
      <Flex gap="middle" wrap>
        <Form.Item name="date" label={t('appointments.fields.date')} rules={[{ required: true, message: t('appointments.book.dateRequired') }]}>
          <DatePicker allowClear={false} style={{ width: 170 }} />
        </Form.Item>
        <Form.Item name="time" label={t('appointments.fields.startTime')} rules={[{ required: true, message: t('appointments.book.timeRequired') }]}>
          <TimePicker format="HH:mm" minuteStep={5} needConfirm={false} style={{ width: 130 }} />
        </Form.Item>
        <Form.Item name="durationMinutes" label={t('appointments.fields.duration')} rules={[{ required: true }]}>
          <InputNumber min={5} max={720} step={15} precision={0} suffix={t('appointments.minutes')} style={{ width: 130 }} />
        </Form.Item>
      </Flex>
      <Form.Item name="itemIds" label={t('appointments.fields.items')}>
        <ItemSearchSelect mode="multiple" placeholder={t('appointments.book.itemsPlaceholder')} />
      </Form.Item>
      <Form.Item name="notes" label={t('appointments.fields.notes')} rules={[{ max: 500 }]}>
        <Input.TextArea rows={3} />
      </Form.Item>
      <Flex gap="small" justify="flex-end">
        <Button onClick={onDone}>{t('common.cancel')}</Button>
        <Button type="primary" htmlType="submit" loading={book.isPending}>
          {t('appointments.book.submit')}
        </Button>
      </Flex>
    </Form>
  );
};
