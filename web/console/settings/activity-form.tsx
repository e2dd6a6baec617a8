import { Alert, App, Button, Descriptions, Form, InputNumber, Skeleton } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ActivityThresholds } from '../../shared/api-models';
import { useCan } from '../auth/me-context';
import { useErrorMessage } from '../common/error-message';
import { FormProblemAlert } from '../common/form-problem-alert';
import { type FormProblem, usePlaceServerErrors } from '../common/form-server-errors';
import { useActivityThresholds, useSaveActivityThresholds } from './settings-queries';

const thresholdFields = ['newMemberDays', 'sleepingAfterDays', 'deepSleepAfterDays'] as const;

/** 会员活跃度: the day thresholds that sort members into new, active, sleeping and deep sleep. */
export const ActivityForm = () => {
  const errorMessage = useErrorMessage();
  const thresholds = useActivityThresholds();
  if (thresholds.isPending) return <Skeleton active paragraph={{ rows: 5 }} />;
  if (thresholds.isError) return <Alert type="error" showIcon title={errorMessage(thresholds.error)} />;
  return <ActivityEditor thresholds={thresholds.data} />;
};

const ActivityEditor = ({ thresholds }: { thresholds: ActivityThresholds }) => {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const canManage = useCan('settings.manage');
  const [form] = Form.useForm<ActivityThresholds>();
  const [problem, setProblem] = useState<FormProblem | null>(null);
  const placeServerErrors = usePlaceServerErrors();
  const save = useSaveActivityThresholds();
  const values = Form.useWatch([], form) ?? thresholds;

  const submit = async (next: ActivityThresholds) => {
    setProblem(null);
    try {
      await save.mutateAsync(next);
      void message.success(t('settings.saved'));
    } catch (error) {
      setProblem(placeServerErrors(form, error, { knownFields: thresholdFields.map((field) => [field]), failedTitle: t('settings.saveFailed') }));
    }
  };

  return (
    <Form<ActivityThresholds>
      form={form}
      name="activity"
      layout="vertical"
      disabled={!canManage}
      initialValues={thresholds}
      onFinish={(next) => void submit(next)}
      style={{ maxWidth: 640 }}
    >
      <Alert type="info" showIcon title={t('settings.activity.intro')} style={{ marginBottom: 16 }} />
      <FormProblemAlert problem={problem} />
      {thresholdFields.map((field) => (
        <Form.Item
          key={field}
          name={field}
          label={t(`settings.activity.fields.${field}`)}
          extra={t(`settings.activity.help.${field}`)}
          dependencies={field === 'deepSleepAfterDays' ? ['sleepingAfterDays'] : undefined}
          rules={[
            { required: true, message: t('settings.activity.required') },
            ...(field === 'deepSleepAfterDays'
              ? [
                  ({ getFieldValue }: { getFieldValue: (name: string) => unknown }) => ({
                    validator: async (_: unknown, value: number | null) => {
                      const sleeping = getFieldValue('sleepingAfterDays');
                      if (typeof value === 'number' && typeof sleeping === 'number' && value <= sleeping)
                        throw new Error(t('settings.activity.deepAfterSleeping'));
                    },
                  }),
                ]
              : []),
          ]}
        >
          <InputNumber min={1} max={3650} precision={0} suffix={t('settings.days')} style={{ width: 160 }} />
        </Form.Item>
      ))}
      <Descriptions
        size="small"
        bordered
        column={1}
        title={t('settings.activity.summaryTitle')}
        style={{ marginBottom: 16 }}
        items={[
          { key: 'non_member', label: t('dynamicTags.activity.non_member'), children: t('settings.activity.summary.non_member') },
          { key: 'new', label: t('dynamicTags.activity.new'), children: t('settings.activity.summary.new', { days: values.newMemberDays }) },
          {
            key: 'active',
            label: t('dynamicTags.activity.active'),
            children: t('settings.activity.summary.active', { days: values.newMemberDays, sleeping: values.sleepingAfterDays }),
          },
          {
            key: 'sleeping',
            label: t('dynamicTags.activity.sleeping'),
            children: t('settings.activity.summary.sleeping', { days: values.sleepingAfterDays, deep: values.deepSleepAfterDays }),
          },
          {
            key: 'deep_sleep',
            label: t('dynamicTags.activity.deep_sleep'),
            children: t('settings.activity.summary.deep_sleep', { days: values.deepSleepAfterDays }),
          },
        ]}
      />
      {canManage && (
        <Button type="primary" htmlType="submit" loading={save.isPending}>
          {t('common.save')}
        </Button>
      )}
    </Form>
  );
};
