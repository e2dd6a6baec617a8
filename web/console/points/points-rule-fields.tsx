import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { Button, DatePicker, Flex, Form, type FormInstance, Input, InputNumber, Select } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useItemCategories } from '../catalog/catalog-queries';
import { ItemSearchSelect } from '../catalog/item-search-select';
import { useCatalogItem } from './points-queries';
import { type PointsSettingsValues, weekdays } from './points-settings-values';

/** The × input every multiplier uses: staff type 1.5, the API stores 15000. */
const multiplierInput = { min: 0, max: 10, step: 0.1, precision: 2, prefix: '×' } as const;

const useMultiplierRules = () => {
  const { t } = useTranslation();
  return [
    { required: true, message: t('points.settings.multiplierRequired') },
    { type: 'number' as const, min: 0, max: 10, message: t('points.settings.multiplierRange') },
  ];
};

/** 每周固定倍数: one optional × per weekday, Monday first. */
export const WeekdayMultipliersField = () => {
  const { t } = useTranslation();
  return (
    <Form.Item label={t('points.settings.weekdays')} extra={t('points.settings.weekdaysHelp')}>
      <Flex gap="small" wrap>
        {weekdays.map((day) => (
          <Form.Item
            key={day}
            name={['weekdayMultipliers', day]}
            label={t(`points.settings.weekdayNames.${day}`)}
            rules={[{ type: 'number', min: 0, max: 10, message: t('points.settings.multiplierRange') }]}
            style={{ marginBottom: 0 }}
          >
            <InputNumber {...multiplierInput} placeholder="1" style={{ width: 92 }} />
          </Form.Item>
        ))}
      </Flex>
    </Form.Item>
  );
};

/** The range picker holds Dayjs; the form values keep plain business dates (YYYY-MM-DD). */
const rangeValueProps = (value: [string, string] | null | undefined) => ({ value: value ? [dayjs(value[0]), dayjs(value[1])] : null });
const normalizeRange = (range: [Dayjs | null, Dayjs | null] | null | undefined): [string, string] | null =>
  range?.[0] && range[1] ? [range[0].format('YYYY-MM-DD'), range[1].format('YYYY-MM-DD')] : null;

/** 活动倍数: named campaigns over a date range, both ends included. */
export const CampaignsField = ({ disabled }: { disabled: boolean }) => {
  const { t } = useTranslation();
  const multiplierRules = useMultiplierRules();
  return (
    <Form.Item label={t('points.settings.campaigns')} extra={t('points.settings.campaignsHelp')}>
      <Form.List name="campaigns">
        {(fields, { add, remove }) => (
          <Flex vertical gap={8}>
            {fields.map((field, index) => (
              <Flex key={field.key} gap="small" align="flex-start" wrap data-testid={`points-campaign-${index + 1}`}>
                <Form.Item
                  name={[field.name, 'name']}
                  rules={[{ required: true, whitespace: true, message: t('points.settings.campaignNameRequired') }]}
                  style={{ marginBottom: 0, width: 160 }}
                >
                  <Input
                    aria-label={t('points.settings.campaignName', { index: index + 1 })}
                    placeholder={t('points.settings.campaignNamePlaceholder')}
                    maxLength={40}
                  />
                </Form.Item>
                <Form.Item
                  name={[field.name, 'range']}
                  getValueProps={rangeValueProps}
                  normalize={normalizeRange}
                  rules={[{ required: true, message: t('points.settings.campaignRangeRequired') }]}
                  style={{ marginBottom: 0 }}
                >
                  <DatePicker.RangePicker aria-label={t('points.settings.campaignRange', { index: index + 1 })} style={{ width: 260 }} />
                </Form.Item>
                <Form.Item name={[field.name, 'multiplier']} rules={multiplierRules} style={{ marginBottom: 0 }}>
                  <InputNumber {...multiplierInput} aria-label={t('points.settings.campaignMultiplier', { index: index + 1 })} style={{ width: 110 }} />
                </Form.Item>
                {!disabled && <Button type="text" danger icon={<DeleteOutlined />} aria-label={t('common.remove')} onClick={() => remove(field.name)} />}
              </Flex>
            ))}
            {!disabled && fields.length < 50 && (
              <Button type="dashed" icon={<PlusOutlined />} onClick={() => add({ multiplier: 2 })} style={{ alignSelf: 'flex-start' }}>
                {t('points.settings.addCampaign')}
              </Button>
            )}
          </Flex>
        )}
      </Form.List>
    </Form.Item>
  );
};

/**
 * The item search, with the name of an item saved earlier: the search knows only what it has
 * found, so the saved item is looked up once and the picker starts with its name.
 */
const RuleItemSelect = (props: { id?: string; value?: string; onChange?: (value: string | undefined) => void; 'aria-label': string; placeholder: string }) => {
  const [savedId] = useState(props.value);
  const saved = useCatalogItem(savedId);
  const initialOptions = saved.data ? [{ id: saved.data.id, name: saved.data.name }] : [];
  return <ItemSearchSelect key={saved.data ? 'named' : 'unnamed'} {...props} initialOptions={initialOptions} style={{ width: 200 }} />;
};

/** 品项倍数: one item or a whole category, at or above a unit price, earns a multiplier. */
export const ItemMultipliersField = ({ form, disabled }: { form: FormInstance<PointsSettingsValues>; disabled: boolean }) => {
  const { t } = useTranslation();
  const multiplierRules = useMultiplierRules();
  const categories = useItemCategories();
  const rows = Form.useWatch('itemMultipliers', form);
  const categoryOptions = (categories.data?.items ?? []).map((category) => ({ value: category.id, label: category.name }));
  return (
    <Form.Item label={t('points.settings.itemMultipliers')} extra={t('points.settings.itemMultipliersHelp')}>
      <Form.List name="itemMultipliers">
        {(fields, { add, remove }) => (
          <Flex vertical gap={8}>
            {fields.map((field, index) => {
              const target = rows?.[field.name]?.target ?? 'item';
              return (
                <Flex key={field.key} gap="small" align="flex-start" wrap data-testid={`points-item-multiplier-${index + 1}`}>
                  <Form.Item
                    name={[field.name, 'name']}
                    rules={[{ required: true, whitespace: true, message: t('points.settings.itemRuleNameRequired') }]}
                    style={{ marginBottom: 0, width: 130 }}
                  >
                    <Input
                      aria-label={t('points.settings.itemRuleName', { index: index + 1 })}
                      placeholder={t('points.settings.itemRuleNamePlaceholder')}
                      maxLength={40}
                    />
                  </Form.Item>
                  <Form.Item name={[field.name, 'target']} style={{ marginBottom: 0 }}>
                    <Select
                      aria-label={t('points.settings.itemRuleTarget', { index: index + 1 })}
                      style={{ width: 110 }}
                      options={(['item', 'category'] as const).map((value) => ({ value, label: t(`points.settings.targets.${value}`) }))}
                    />
                  </Form.Item>
                  {target === 'item' ? (
                    <Form.Item
                      name={[field.name, 'itemId']}
                      rules={[{ required: true, message: t('points.settings.itemRequired') }]}
                      style={{ marginBottom: 0 }}
                    >
                      <RuleItemSelect aria-label={t('points.settings.itemRuleItem', { index: index + 1 })} placeholder={t('points.settings.itemPlaceholder')} />
                    </Form.Item>
                  ) : (
                    <Form.Item
                      name={[field.name, 'categoryId']}
                      rules={[{ required: true, message: t('points.settings.categoryRequired') }]}
                      style={{ marginBottom: 0 }}
                    >
                      <Select
                        aria-label={t('points.settings.itemRuleCategory', { index: index + 1 })}
                        placeholder={t('points.settings.categoryPlaceholder')}
                        loading={categories.isPending}
                        options={categoryOptions}
                        style={{ width: 200 }}
                      />
                    </Form.Item>
                  )}
                  <Form.Item
                    name={[field.name, 'minUnitPriceYuan']}
                    rules={[{ required: true, message: t('points.settings.thresholdRequired') }]}
                    style={{ marginBottom: 0 }}
                  >
                    <InputNumber
                      aria-label={t('points.settings.itemRuleThreshold', { index: index + 1 })}
                      min={0}
                      precision={2}
                      prefix="¥"
                      style={{ width: 130 }}
                    />
                  </Form.Item>
                  <Form.Item name={[field.name, 'multiplier']} rules={multiplierRules} style={{ marginBottom: 0 }}>
                    <InputNumber {...multiplierInput} aria-label={t('points.settings.itemRuleMultiplier', { index: index + 1 })} style={{ width: 100 }} />
                  </Form.Item>
                  {!disabled && <Button type="text" danger icon={<DeleteOutlined />} aria-label={t('common.remove')} onClick={() => remove(field.name)} />}
                </Flex>
              );
            })}
            {!disabled && fields.length < 50 && (
              <Button type="dashed" icon={<PlusOutlined />} onClick={() => add({ target: 'item', multiplier: 2 })} style={{ alignSelf: 'flex-start' }}>
                {t('points.settings.addItemMultiplier')}
              </Button>
            )}
          </Flex>
        )}
      </Form.List>
    </Form.Item>
  );
};

/** 不可抵扣的品项分类: categories points may not pay for (e.g. drugs). */
export const ExcludedCategoriesField = () => {
  const { t } = useTranslation();
  const categories = useItemCategories();
  return (
    <Form.Item name="excludedCategoryIds" label={t('points.settings.excludedCategories')} extra={t('points.settings.excludedCategoriesHelp')}>
      <Select
        mode="multiple"
        allowClear
        placeholder={t('points.settings.categoryPlaceholder')}
        loading={categories.isPending}
        options={(categories.data?.items ?? []).map((category) => ({ value: category.id, label: category.name }))}
        optionFilterProp="label"
        data-testid="points-settings-excluded-categories"
        style={{ maxWidth: 480 }}
      />
    </Form.Item>
  );
};

/** 过期提醒: up to five "days before expiry", each once. */
export const ReminderDaysField = ({ disabled, max }: { disabled: boolean; max: number }) => {
  const { t } = useTranslation();
  return (
    <Form.Item label={t('points.settings.reminders')} extra={t('points.settings.remindersHelp', { max })}>
      <Form.List
        name="reminderDays"
        rules={[
          {
            validator: async (_, days: PointsSettingsValues['reminderDays'] | undefined) => {
              const filled = (days ?? []).filter((day): day is number => typeof day === 'number');
              if (new Set(filled).size !== filled.length) throw new Error(t('points.settings.reminderDayDuplicate'));
            },
          },
        ]}
      >
        {(fields, { add, remove }, { errors }) => (
          <Flex vertical gap={8}>
            <Flex gap="small" wrap>
              {fields.map((field, index) => (
                <Flex key={field.key} gap={4} align="flex-start">
                  <Form.Item
                    name={field.name}
                    rules={[{ required: true, type: 'number', min: 1, max: 365, message: t('points.settings.reminderDayRequired') }]}
                    style={{ marginBottom: 0 }}
                  >
                    <InputNumber
                      aria-label={t('points.settings.reminderDay', { index: index + 1 })}
                      min={1}
                      max={365}
                      precision={0}
                      suffix={t('points.settings.daysBefore')}
                      style={{ width: 130 }}
                    />
                  </Form.Item>
                  {!disabled && <Button type="text" danger icon={<DeleteOutlined />} aria-label={t('common.remove')} onClick={() => remove(field.name)} />}
                </Flex>
              ))}
            </Flex>
            <Form.ErrorList errors={errors} />
            {!disabled && fields.length < max && (
              <Button type="dashed" icon={<PlusOutlined />} onClick={() => add()} style={{ alignSelf: 'flex-start' }}>
                {t('points.settings.addReminder')}
              </Button>
            )}
          </Flex>
        )}
      </Form.List>
    </Form.Item>
  );
};
