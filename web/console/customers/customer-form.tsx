import { Alert, App, Button, Flex, Form, type FormInstance, Input, Radio, Select } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../shared/api';
import type { Customer } from '../../shared/api-models';
import { useCurrentMe } from '../auth/me-context';
import { useErrorMessage } from '../common/error-message';
import { type FieldPath, mapServerFieldErrors } from '../common/server-field-errors';
import { useIdempotencyKey } from '../common/use-idempotency-key';
import { BirthdayFields } from './birthday-fields';
import { type CustomerFormValues, changedFields, customerToForm, emptyCustomerForm, formToCustomerInput, isChineseMobile } from './customer-form-values';
import { useCreateCustomer, useCustomerTags, useStaff, useUpdateCustomer } from './customer-queries';
import { CustomerSearchSelect } from './customer-search-select';
import { useGenderOptions, useSourceChannelOptions, useStaffOptions } from './options';

type CustomerFieldData = Parameters<FormInstance<CustomerFormValues>['setFields']>[0][number];
type CustomerFieldPath = Extract<NonNullable<CustomerFieldData['name']>, FieldPath>;

/** Every field the form shows, for placing server errors (`body.<path>`). */
const knownFields: CustomerFieldPath[] = [
  ['name'],
  ['gender'],
  ['phone'],
  ['birthday', 'calendar'],
  ['birthday', 'date'],
  ['birthday', 'year'],
  ['birthday', 'month'],
  ['birthday', 'day'],
  ['birthday', 'isLeapMonth'],
  ['sourceChannel'],
  ['consultantId'],
  ['referrerId'],
  ['firstStoreId'],
  ['notes'],
  ['tags'],
  ['allergies'],
];

type FormProblem = { title: string; messages: string[] };

type CustomerFormProps = {
  /** The customer to edit; a new one is created without it. */
  customer?: Customer;
  referrer?: { id: string; name: string } | null;
  onSaved: (customer: Customer) => void;
  onCancel: () => void;
};

export const CustomerForm = ({ customer, referrer, onSaved, onCancel }: CustomerFormProps) => {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const me = useCurrentMe();
  const [form] = Form.useForm<CustomerFormValues>();
  const [problem, setProblem] = useState<FormProblem | null>(null);
  const errorMessage = useErrorMessage();
  const staff = useStaff();
  const tags = useCustomerTags();
  const staffOptions = useStaffOptions(staff.data?.items ?? []);
  const genderOptions = useGenderOptions();
  const sourceChannelOptions = useSourceChannelOptions();
  const create = useCreateCustomer();
  const update = useUpdateCustomer(customer?.id ?? '');
  const isSaving = create.isPending || update.isPending;
  const idempotencyKeyFor = useIdempotencyKey();

  const onlyStore = me.stores.length === 1 ? me.stores[0]?.id : undefined;
  const initialValues = customer ? customerToForm(customer) : emptyCustomerForm({ firstStoreId: onlyStore });
  const isPhoneLocked = customer?.isPhoneMasked ?? false;

  const showServerError = (error: unknown) => {
    if (!(error instanceof ApiError)) {
      setProblem({ title: t('customerForm.serverErrorTitle'), messages: [errorMessage(error)] });
      return;
    }
    const { fields, unmatched } = mapServerFieldErrors(error.details, knownFields);
    // A 409 such as CUSTOMER_PHONE_TAKEN belongs on the phone field.
    if (error.status === 409 && error.code.includes('PHONE')) fields.push({ name: ['phone'], errors: [error.message] });
    form.setFields(fields);
    // Above the form only what no field shows: the message itself when nothing was placed on a field, and unplaced details.
    const isMessageOnAField = fields.some((field) => field.errors.includes(error.message));
    const showsTitle = fields.length === 0 || (unmatched.length > 0 && !isMessageOnAField);
    if (!showsTitle && unmatched.length === 0) {
      setProblem(null);
      return;
    }
    setProblem({
      title: showsTitle ? errorMessage(error) : t('customerForm.serverErrorTitle'),
      messages: unmatched.map((detail) => detail.message),
    });
  };

  const save = async (values: CustomerFormValues) => {
    setProblem(null);
    const input = formToCustomerInput(values);
    try {
      if (!customer) {
        const created = await create.mutateAsync({ input, idempotencyKey: idempotencyKeyFor(input) });
        void message.success(t('customerForm.created', { name: created.name }));
        onSaved(created);
        return;
      }
      const patch = changedFields(input, formToCustomerInput(initialValues));
      if (Object.keys(patch).length === 0) {
        void message.info(t('customerForm.noChanges'));
        onSaved(customer);
        return;
      }
      const updated = await update.mutateAsync(patch);
      void message.success(t('customerForm.updated'));
      onSaved(updated);
    } catch (error) {
      showServerError(error);
    }
  };

  return (
    <Form<CustomerFormValues>
      form={form}
      name="customer"
      layout="vertical"
      initialValues={initialValues}
      onFinish={(values) => void save(values)}
      // A server error about the birthday as a whole sits on the calendar switch; any birthday edit clears it.
      onValuesChange={(changed: Partial<CustomerFormValues>) => {
        if (changed.birthday) form.setFields([{ name: ['birthday', 'calendar'], errors: [] }]);
      }}
      scrollToFirstError
    >
      {problem && (
        <Alert
          type="error"
          showIcon
          title={problem.title}
          description={problem.messages.length > 0 ? problem.messages.join('；') : undefined}
          style={{ marginBottom: 16 }}
        />
      )}
      <Form.Item
        name="name"
        label={t('customerForm.fields.name')}
        rules={[
          { required: true, whitespace: true, message: t('customerForm.validation.nameRequired') },
          { max: 40, message: t('customerForm.validation.nameTooLong') },
        ]}
      >
        <Input autoComplete="off" />
      </Form.Item>
      <Form.Item name="gender" label={t('customerForm.fields.gender')} rules={[{ required: true }]}>
        <Radio.Group options={genderOptions} />
      </Form.Item>
      <Form.Item
        name="phone"
        label={t('customerForm.fields.phone')}
        extra={isPhoneLocked ? t('customerForm.phoneMaskedHelp') : undefined}
        rules={
          isPhoneLocked
            ? []
            : [
                { required: true, whitespace: true, message: t('customerForm.validation.phoneRequired') },
                {
                  validator: async (_, value: string | undefined) => {
                    if (value && value.trim() !== '' && !isChineseMobile(value)) throw new Error(t('customerForm.validation.phoneInvalid'));
                  },
                },
              ]
        }
      >
        <Input inputMode="tel" autoComplete="off" placeholder={t('customerForm.placeholders.phone')} disabled={isPhoneLocked} />
      </Form.Item>
      <BirthdayFields />
      <Form.Item name="sourceChannel" label={t('customerForm.fields.sourceChannel')}>
        <Select allowClear placeholder={t('customerForm.placeholders.select')} options={sourceChannelOptions} />
      </Form.Item>
      <Form.Item name="consultantId" label={t('customerForm.fields.consultant')}>
        <Select
          allowClear
          showSearch={{ optionFilterProp: 'label' }}
          placeholder={t('customerForm.placeholders.select')}
          loading={staff.isPending}
          options={staffOptions}
        />
      </Form.Item>
      <Form.Item name="referrerId" label={t('customerForm.fields.referrer')}>
        <CustomerSearchSelect placeholder={t('customerForm.placeholders.referrer')} excludeIds={customer ? [customer.id] : []} initialOption={referrer} />
      </Form.Item>
      <Form.Item name="firstStoreId" label={t('customerForm.fields.firstStore')}>
        <Select allowClear placeholder={t('customerForm.placeholders.select')} options={me.stores.map((store) => ({ value: store.id, label: store.name }))} />
      </Form.Item>
      <Form.Item name="tags" label={t('customerForm.fields.tags')}>
        <Select
          mode="tags"
          placeholder={t('customerForm.placeholders.tags')}
          tokenSeparators={[',', '，', '、']}
          options={(tags.data?.items ?? []).map((item) => ({ value: item.tag, label: item.tag }))}
        />
      </Form.Item>
      <Form.Item name="allergies" label={t('customerForm.fields.allergies')}>
        <Select mode="tags" placeholder={t('customerForm.placeholders.allergies')} tokenSeparators={[',', '，', '、']} open={false} suffixIcon={null} />
      </Form.Item>
      <Form.Item name="notes" label={t('customerForm.fields.notes')}>
        <Input.TextArea autoSize={{ minRows: 2, maxRows: 6 }} maxLength={1000} />
      </Form.Item>
      <Flex gap="small" justify="flex-end">
        <Button onClick={onCancel}>{t('common.cancel')}</Button>
        <Button type="primary" htmlType="submit" loading={isSaving}>
          {t('common.save')}
        </Button>
      </Flex>
    </Form>
  );
};
