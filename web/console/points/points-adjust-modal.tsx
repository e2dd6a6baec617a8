import { Alert, App, Form, Input, InputNumber, Modal } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../shared/api';
import type { PointsAdjustmentInput } from '../../shared/api-models';
import { FormProblemAlert } from '../common/form-problem-alert';
import { type FormProblem, usePlaceServerErrors } from '../common/form-server-errors';
import { useIdempotencyKey } from '../common/use-idempotency-key';
import { useAdjustPoints } from './points-queries';

type AdjustValues = { points: number | null; reason: string; expiresInDays: number | null };

/** 调整积分: ± points with a reason (audited); above 10 000 only the owner may (403 STEP_UP_REQUIRED). */
export const PointsAdjustModal = ({ customerId, open, onClose }: { customerId: string; open: boolean; onClose: () => void }) => {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<AdjustValues>();
  const [problem, setProblem] = useState<FormProblem | null>(null);
  const placeServerErrors = usePlaceServerErrors();
  const adjust = useAdjustPoints(customerId);
  const idempotencyKeyFor = useIdempotencyKey();
  const points = Form.useWatch('points', form);

  const close = () => {
    form.resetFields();
    setProblem(null);
    onClose();
  };

  const submit = async (values: AdjustValues) => {
    setProblem(null);
    const input: PointsAdjustmentInput = {
      points: values.points ?? 0,
      reason: values.reason.trim(),
      ...(values.expiresInDays && (values.points ?? 0) > 0 ? { expiresInDays: values.expiresInDays } : {}),
    };
    try {
      await adjust.mutateAsync({ input, idempotencyKey: idempotencyKeyFor({ customerId, input }) });
      void message.success(t('points.adjust.done', { points: input.points > 0 ? `+${input.points}` : String(input.points) }));
      close();
    } catch (error) {
      if (error instanceof ApiError && error.code === 'STEP_UP_REQUIRED') {
        setProblem({ title: t('points.adjust.stepUp'), messages: error.message ? [error.message] : [] });
        return;
      }
      setProblem(
        placeServerErrors(form, error, {
          knownFields: [['points'], ['reason'], ['expiresInDays']],
          conflictField: ['points'],
          failedTitle: t('points.adjust.failed'),
        }),
      );
    }
  };

  return (
    <Modal
      title={t('points.adjust.title')}
      open={open}
      onCancel={close}
      onOk={() => form.submit()}
      okText={t('points.adjust.submit')}
      confirmLoading={adjust.isPending}
      destroyOnHidden
    >
      <Form<AdjustValues> form={form} name="points-adjust" layout="vertical" onFinish={(values) => void submit(values)} initialValues={{ reason: '' }}>
        <FormProblemAlert problem={problem} />
        <Form.Item
          name="points"
          label={t('points.adjust.points')}
          rules={[
            {
              validator: (_, value: number | null) =>
                typeof value === 'number' && Number.isInteger(value) && value !== 0
                  ? Promise.resolve()
                  : Promise.reject(new Error(t('points.adjust.pointsRequired'))),
            },
          ]}
        >
          <InputNumber precision={0} step={100} style={{ width: 200 }} autoFocus />
        </Form.Item>
        {typeof points === 'number' && Math.abs(points) > 10_000 && (
          <Alert type="warning" showIcon title={t('points.adjust.stepUp')} style={{ marginBottom: 16 }} />
        )}
        <Form.Item name="reason" label={t('points.adjust.reason')} rules={[{ required: true, whitespace: true, message: t('points.adjust.reasonRequired') }]}>
          <Input.TextArea maxLength={200} autoSize={{ minRows: 2, maxRows: 4 }} placeholder={t('points.adjust.reasonPlaceholder')} />
        </Form.Item>
        <Form.Item name="expiresInDays" label={t('points.adjust.expiresInDays')} extra={t('points.adjust.expiresHelp')}>
          <InputNumber
            min={1}
            max={3650}
            precision={0}
            suffix={t('points.adjust.days')}
            style={{ width: 200 }}
            disabled={!(typeof points === 'number' && points > 0)}
          />
        </Form.Item>
      </Form>
    </Modal>
  );
};
