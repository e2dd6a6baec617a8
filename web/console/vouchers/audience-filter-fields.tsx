import { Flex, Form, InputNumber, Select } from 'antd';
import { useTranslation } from 'react-i18next';

const activityStatuses = ['non_member', 'new', 'active', 'sleeping', 'deep_sleep'] as const;
const dealStatuses = ['none', 'first', 'repeat'] as const;

/**
 * 按条件筛选客户: no order for N days, activity, deal status, tags — the filter controls of the
 * voucher distribution form and the call campaign form (fields of the surrounding antd Form).
 */
export const AudienceFilterFields = () => {
  const { t } = useTranslation();
  return (
    <>
      <Form.Item name="noOrderDays" label={t('voucherDistribution.form.noOrderDays')} extra={t('voucherDistribution.form.noOrderDaysHelp')}>
        <InputNumber min={1} max={3650} precision={0} addonAfter={t('settings.days')} placeholder="15" />
      </Form.Item>
      <Flex gap="middle" wrap>
        <Form.Item name="activity" label={t('voucherDistribution.form.activity')} style={{ minWidth: 260 }}>
          <Select
            mode="multiple"
            allowClear
            placeholder={t('voucherDistribution.form.any')}
            options={activityStatuses.map((value) => ({ value, label: t(`dynamicTags.activity.${value}`) }))}
          />
        </Form.Item>
        <Form.Item name="dealStatus" label={t('voucherDistribution.form.dealStatus')} style={{ minWidth: 160 }}>
          <Select
            allowClear
            placeholder={t('voucherDistribution.form.any')}
            options={dealStatuses.map((value) => ({ value, label: t(`dynamicTags.dealStatus.${value}`) }))}
          />
        </Form.Item>
      </Flex>
      <Form.Item name="tags" label={t('voucherDistribution.form.tags')}>
        <Select mode="tags" allowClear placeholder={t('voucherDistribution.form.any')} />
      </Form.Item>
    </>
  );
};
