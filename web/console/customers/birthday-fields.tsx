import { Checkbox, DatePicker, Flex, Form, InputNumber, Radio, Select } from 'antd';
import type { Rule } from 'antd/es/form';
import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';

const months = Array.from({ length: 12 }, (_, index) => index + 1);
const days = Array.from({ length: 30 }, (_, index) => index + 1);

/**
 * Birthday as a solar date, or as a lunar date (year, month 1–12, day 1–30, leap month) for
 * the many customers who celebrate the lunar one. Field names sit under `birthday` so server
 * errors such as `body.birthday.year` land on the right control.
 */
export const BirthdayFields = () => {
  const { t } = useTranslation();
  const form = Form.useFormInstance();
  const calendar = Form.useWatch(['birthday', 'calendar'], form);

  // All three lunar parts, or none of them.
  const lunarPartRule: Rule = ({ getFieldValue }) => ({
    validator: async (_, value: unknown) => {
      const parts = ['year', 'month', 'day'].map((part) => getFieldValue(['birthday', part]));
      const isAnyFilled = parts.some((part) => part !== undefined && part !== null);
      if (isAnyFilled && (value === undefined || value === null)) throw new Error(t('customerForm.validation.lunarIncomplete'));
    },
  });
  const lunarDependencies = [
    ['birthday', 'year'],
    ['birthday', 'month'],
    ['birthday', 'day'],
  ];

  return (
    <Form.Item label={t('customerForm.fields.birthday')} required={false} style={{ marginBottom: 0 }}>
      <Form.Item name={['birthday', 'calendar']} style={{ marginBottom: 8 }}>
        <Radio.Group
          aria-label={t('customerForm.fields.calendar')}
          optionType="button"
          options={[
            { value: 'solar', label: t('customerForm.fields.solar') },
            { value: 'lunar', label: t('customerForm.fields.lunar') },
          ]}
        />
      </Form.Item>
      {calendar === 'lunar' ? (
        <Flex gap="small" align="flex-start" wrap>
          <Form.Item
            name={['birthday', 'year']}
            dependencies={lunarDependencies}
            rules={[lunarPartRule, { type: 'number', min: 1900, max: 2100, message: t('customerForm.validation.lunarYearRange') }]}
          >
            <InputNumber
              aria-label={t('customerForm.fields.lunarYear')}
              placeholder={t('customerForm.placeholders.lunarYear')}
              min={1900}
              max={2100}
              precision={0}
              style={{ width: 100 }}
            />
          </Form.Item>
          <Form.Item name={['birthday', 'month']} dependencies={lunarDependencies} rules={[lunarPartRule]}>
            <Select
              aria-label={t('customerForm.fields.lunarMonth')}
              placeholder={t('customerForm.placeholders.lunarMonth')}
              allowClear
              style={{ width: 100 }}
              options={months.map((month) => ({ value: month, label: t('customerForm.monthOption', { month }) }))}
            />
          </Form.Item>
          <Form.Item name={['birthday', 'day']} dependencies={lunarDependencies} rules={[lunarPartRule]}>
            <Select
              aria-label={t('customerForm.fields.lunarDay')}
              placeholder={t('customerForm.placeholders.lunarDay')}
              allowClear
              style={{ width: 100 }}
              options={days.map((day) => ({ value: day, label: t('customerForm.dayOption', { day }) }))}
            />
          </Form.Item>
          <Form.Item name={['birthday', 'isLeapMonth']} valuePropName="checked">
            <Checkbox>{t('customerForm.fields.isLeapMonth')}</Checkbox>
          </Form.Item>
        </Flex>
      ) : (
        <Form.Item name={['birthday', 'date']}>
          <DatePicker aria-label={t('customerForm.fields.birthdayDate')} disabledDate={(date) => date.isAfter(dayjs(), 'day')} style={{ width: 200 }} />
        </Form.Item>
      )}
    </Form.Item>
  );
};
