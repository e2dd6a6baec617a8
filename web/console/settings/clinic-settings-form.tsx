import { DeleteOutlined, UploadOutlined } from '@ant-design/icons';
import { Alert, App, Button, Form, Input, Skeleton, Space, Typography, Upload } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ClinicProfile, ClinicProfileInput } from '../../shared/api-models';
import { useErrorMessage } from '../common/error-message';
import { FormProblemAlert } from '../common/form-problem-alert';
import { type FormProblem, usePlaceServerErrors } from '../common/form-server-errors';
import { TimeZoneSelect } from '../common/time-zone-select';
import { ClinicLogo } from '../layout/clinic-logo';
import { useClinicProfile, useRemoveLogo, useSaveClinicProfile, useUploadLogo } from './clinic-queries';

const fields = ['name', 'timezone', 'contactPhone', 'address', 'receiptHeader', 'receiptFooter', 'businessDayStart'] as const;
const logoMaxBytes = 256 * 1024;
const logoTypes = ['image/png', 'image/jpeg', 'image/webp', 'image/gif'];

const toBase64 = (file: Blob) =>
  new Promise<string>((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result).replace(/^data:[^,]*,/, ''));
    reader.onerror = () => reject(reader.error);
    reader.readAsDataURL(file);
  });

/** 设置 → 诊所: name, time zone, contact, receipt texts, the business day's start and the logo. */
export const ClinicSettingsForm = () => {
  const errorMessage = useErrorMessage();
  const profile = useClinicProfile();
  if (profile.isPending) return <Skeleton active paragraph={{ rows: 6 }} />;
  if (profile.isError) return <Alert type="error" showIcon title={errorMessage(profile.error)} />;
  return <ClinicEditor profile={profile.data} />;
};

const ClinicEditor = ({ profile }: { profile: ClinicProfile }) => {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const errorMessage = useErrorMessage();
  const [form] = Form.useForm<ClinicProfileInput>();
  const [problem, setProblem] = useState<FormProblem | null>(null);
  const [logoVersion, setLogoVersion] = useState(0);
  const placeServerErrors = usePlaceServerErrors();
  const save = useSaveClinicProfile();
  const upload = useUploadLogo();
  const remove = useRemoveLogo();

  const submit = async (values: ClinicProfileInput) => {
    setProblem(null);
    try {
      await save.mutateAsync({
        ...values,
        contactPhone: values.contactPhone ?? null,
        address: values.address ?? null,
        receiptHeader: values.receiptHeader ?? null,
        receiptFooter: values.receiptFooter ?? null,
      });
      void message.success(t('settings.saved'));
    } catch (error) {
      setProblem(placeServerErrors(form, error, { knownFields: fields.map((field) => [field]), failedTitle: t('settings.saveFailed') }));
    }
  };

  const uploadLogo = async (file: File) => {
    if (!logoTypes.includes(file.type)) return void message.error(t('clinicSettings.logoWrongType'));
    if (file.size > logoMaxBytes) return void message.error(t('clinicSettings.logoTooLarge'));
    try {
      await upload.mutateAsync(await toBase64(file));
      setLogoVersion((version) => version + 1);
      void message.success(t('clinicSettings.logoSaved'));
    } catch (error) {
      void message.error(errorMessage(error));
    }
  };

  return (
    <Form<ClinicProfileInput>
      form={form}
      name="clinic"
      layout="vertical"
      initialValues={profile}
      onFinish={(values) => void submit(values)}
      style={{ maxWidth: 640 }}
    >
      <FormProblemAlert problem={problem} />
      <Form.Item label={t('clinicSettings.code')}>
        <Typography.Text code>{profile.code}</Typography.Text>
      </Form.Item>
      <Form.Item name="name" label={t('clinicSettings.name')} rules={[{ required: true, whitespace: true, message: t('setup.name') }]}>
        <Input />
      </Form.Item>
      <Form.Item name="timezone" label={t('clinicSettings.timezone')} rules={[{ required: true }]}>
        <TimeZoneSelect />
      </Form.Item>
      <Form.Item name="contactPhone" label={t('clinicSettings.contactPhone')}>
        <Input />
      </Form.Item>
      <Form.Item name="address" label={t('clinicSettings.address')}>
        <Input />
      </Form.Item>
      <Form.Item name="receiptHeader" label={t('clinicSettings.receiptHeader')} extra={t('clinicSettings.receiptHeaderHelp')}>
        <Input />
      </Form.Item>
      <Form.Item name="receiptFooter" label={t('clinicSettings.receiptFooter')} extra={t('clinicSettings.receiptFooterHelp')}>
        <Input />
      </Form.Item>
      <Form.Item
        name="businessDayStart"
        label={t('clinicSettings.businessDayStart')}
        extra={t('clinicSettings.businessDayStartHelp')}
        rules={[{ required: true, pattern: /^([01]\d|2[0-3]):[0-5]\d$/, message: t('clinicSettings.businessDayStartInvalid') }]}
      >
        <Input style={{ width: 120 }} />
      </Form.Item>
      <Form.Item label={t('clinicSettings.logo')} extra={t('clinicSettings.logoHelp')}>
        <Space align="center" size="large">
          {profile.hasLogo && <ClinicLogo code={profile.code} version={logoVersion} height={48} />}
          <Upload
            accept={logoTypes.join(',')}
            showUploadList={false}
            beforeUpload={(file) => {
              // Sent as base64 JSON by uploadLogo, not by the Upload's own request.
              void uploadLogo(file);
              return false;
            }}
          >
            <Button icon={<UploadOutlined />} loading={upload.isPending}>
              {t('clinicSettings.upload')}
            </Button>
          </Upload>
          {profile.hasLogo && (
            <Button icon={<DeleteOutlined />} loading={remove.isPending} onClick={() => remove.mutate()}>
              {t('clinicSettings.removeLogo')}
            </Button>
          )}
        </Space>
      </Form.Item>
      <Button type="primary" htmlType="submit" loading={save.isPending}>
        {t('common.save')}
      </Button>
    </Form>
  );
};
