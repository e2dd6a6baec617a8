import { Alert, Button, Checkbox, Divider, Drawer, Flex, Form, Input, InputNumber, Radio, Select, Space, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useItemCategories } from '../catalog/catalog-queries';
import { FormProblemAlert } from '../common/form-problem-alert';
import { type FormProblem, usePlaceServerErrors } from '../common/form-server-errors';
import { type Tier, useSaveTier } from './membership-queries';
import { emptyTierValues, type TierFormValues, tierToValues, valuesToInput } from './tier-form-values';

const retentions = ['re_evaluate', 'down_one', 'never_down'] as const;

/** 新建 / 编辑会员等级: criteria, retention and benefits, with the customer-facing description checked on save. */
export const TierFormDrawer = ({ tier, open, onClose }: { tier: Tier | null; open: boolean; onClose: () => void }) => {
  const { t } = useTranslation();
  const [form] = Form.useForm<TierFormValues>();
  const [problem, setProblem] = useState<FormProblem | null>(null);
  const placeServerErrors = usePlaceServerErrors();
  const save = useSaveTier();
  const categories = useItemCategories();
  const birthdayKind = Form.useWatch('birthdayKind', form);
  const categoryOptions = (categories.data?.items ?? []).map((category) => ({ value: category.id, label: category.name }));

  useEffect(() => {
    if (open) {
      setProblem(null);
      form.resetFields();
      form.setFieldsValue(tier ? tierToValues(tier) : emptyTierValues);
    }
  }, [open, tier, form]);

  const submit = async (values: TierFormValues) => {
    setProblem(null);
    try {
      await save.mutateAsync({ id: tier?.id ?? null, input: valuesToInput(values) });
      onClose();
    } catch (error) {
      setProblem(
        placeServerErrors(form, error, {
          knownFields: [['name'], ['description']],
          rename: { 'benefits.birthday': ['birthdayCategoryId'] },
          conflictField: ['name'],
          failedTitle: t('settings.saveFailed'),
        }),
      );
    }
  };

  return (
    <Drawer
      open={open}
      onClose={onClose}
      size={640}
      destroyOnHidden
      title={tier ? t('membership.form.editTitle', { name: tier.name }) : t('membership.form.createTitle')}
      extra={
        <Space>
          <Button onClick={onClose}>{t('membership.form.cancel')}</Button>
          <Button type="primary" loading={save.isPending} onClick={() => form.submit()}>
            {t('membership.form.submit')}
          </Button>
        </Space>
      }
    >
      <Form<TierFormValues> form={form} name="tier" layout="vertical" initialValues={emptyTierValues} onFinish={(values) => void submit(values)}>
        <FormProblemAlert problem={problem} />
        <Form.Item name="name" label={t('membership.form.name')} rules={[{ required: true, whitespace: true, max: 20 }]}>
          <Input maxLength={20} />
        </Form.Item>
        <Form.Item name="description" label={t('membership.form.description')} extra={t('membership.form.descriptionHelp')} rules={[{ max: 500 }]}>
          <Input.TextArea rows={3} maxLength={500} showCount />
        </Form.Item>

        <Divider titlePlacement="start">{t('membership.form.criteriaTitle')}</Divider>
        <Typography.Paragraph type="secondary">{t('membership.form.criteriaHelp')}</Typography.Paragraph>
        <Form.Item name="match" label={t('membership.form.match')}>
          <Radio.Group
            options={[
              { value: 'any', label: t('membership.criteria.any') },
              { value: 'all', label: t('membership.criteria.all') },
            ]}
          />
        </Form.Item>
        <Flex gap="middle" wrap>
          <Form.Item name="growth" label={t('membership.form.growth')}>
            <InputNumber min={1} precision={0} style={{ width: 140 }} />
          </Form.Item>
          <Form.Item name="consumptionYuan" label={t('membership.form.consumptionYuan')}>
            <InputNumber min={0.01} precision={2} style={{ width: 140 }} />
          </Form.Item>
          <Form.Item name="visits" label={t('membership.form.visits')}>
            <InputNumber min={1} precision={0} style={{ width: 120 }} />
          </Form.Item>
          <Form.Item name="topUpYuan" label={t('membership.form.topUpYuan')}>
            <InputNumber min={0.01} precision={2} style={{ width: 140 }} />
          </Form.Item>
        </Flex>
        <Form.Item name="retention" label={t('membership.form.retention')}>
          <Radio.Group>
            <Flex vertical gap={4}>
              {retentions.map((retention) => (
                <Radio key={retention} value={retention}>
                  {t(`membership.retention.${retention}`)} <Typography.Text type="secondary">— {t(`membership.retentionHelp.${retention}`)}</Typography.Text>
                </Radio>
              ))}
            </Flex>
          </Radio.Group>
        </Form.Item>

        <Divider titlePlacement="start">{t('membership.form.benefitsTitle')}</Divider>
        <Form.Item name="pointsMultiplier" label={t('membership.form.pointsMultiplier')} extra={t('membership.form.pointsHelp')} rules={[{ required: true }]}>
          <InputNumber min={0} max={100} step={0.1} precision={2} style={{ width: 140 }} />
        </Form.Item>
        <Form.Item label={t('membership.form.categoryDiscounts')}>
          <Form.List name="categoryDiscounts">
            {(fields, { add, remove }) => (
              <Flex vertical gap="small">
                {fields.map((field) => (
                  <Space key={field.key} align="baseline">
                    <Form.Item name={[field.name, 'categoryId']} rules={[{ required: true }]} noStyle>
                      <Select
                        options={categoryOptions}
                        placeholder={t('membership.form.category')}
                        style={{ width: 200 }}
                        aria-label={t('membership.form.category')}
                      />
                    </Form.Item>
                    <Form.Item name={[field.name, 'zhe']} rules={[{ required: true }]} noStyle>
                      <InputNumber min={0.1} max={9.99} step={0.5} precision={2} suffix="折" aria-label={t('membership.form.zhe')} style={{ width: 120 }} />
                    </Form.Item>
                    <Button type="link" danger onClick={() => remove(field.name)}>
                      {t('membership.form.remove')}
                    </Button>
                  </Space>
                ))}
                <Button type="dashed" onClick={() => add({ zhe: 8 })} style={{ alignSelf: 'flex-start' }}>
                  {t('membership.form.addDiscount')}
                </Button>
              </Flex>
            )}
          </Form.List>
        </Form.Item>
        <Form.Item name="birthdayKind" label={t('membership.form.birthday')}>
          <Radio.Group
            options={(['none', 'free_item', 'discount'] as const).map((kind) => ({ value: kind, label: t(`membership.form.birthdayKinds.${kind}`) }))}
          />
        </Form.Item>
        {birthdayKind && birthdayKind !== 'none' && (
          <Flex gap="middle" wrap>
            <Form.Item name="birthdayCategoryId" label={t('membership.form.birthdayCategory')} rules={birthdayKind === 'free_item' ? [{ required: true }] : []}>
              <Select
                allowClear={birthdayKind === 'discount'}
                options={categoryOptions}
                placeholder={birthdayKind === 'discount' ? t('membership.form.birthdayAnyCategory') : undefined}
                style={{ width: 200 }}
              />
            </Form.Item>
            {birthdayKind === 'free_item' ? (
              <Form.Item name="birthdayQuantity" label={t('membership.form.birthdayQuantity')}>
                <InputNumber min={1} max={10} precision={0} />
              </Form.Item>
            ) : (
              <Form.Item name="birthdayZhe" label={t('membership.form.birthdayZhe')}>
                <InputNumber min={0.1} max={9.99} step={0.5} precision={2} suffix="折" />
              </Form.Item>
            )}
          </Flex>
        )}
        <Alert type="info" showIcon title={t('membership.form.birthdayRules')} style={{ marginBottom: 16 }} />
        <Flex gap="large">
          <Form.Item name="isPriorityBooking" valuePropName="checked">
            <Checkbox>{t('membership.form.isPriorityBooking')}</Checkbox>
          </Form.Item>
          <Form.Item name="hasDedicatedConsultant" valuePropName="checked">
            <Checkbox>{t('membership.form.hasDedicatedConsultant')}</Checkbox>
          </Form.Item>
        </Flex>
        <Form.Item label={t('membership.form.upgradeGifts')} extra={t('membership.form.upgradeGiftsHelp')}>
          <Form.List name="upgradeGifts">
            {(fields, { add, remove }) => (
              <Flex vertical gap="small">
                {fields.map((field) => (
                  <Space key={field.key} align="baseline">
                    <Form.Item name={[field.name, 'name']} rules={[{ required: true, whitespace: true }]} noStyle>
                      <Input placeholder={t('membership.form.giftName')} maxLength={40} style={{ width: 180 }} />
                    </Form.Item>
                    <Form.Item name={[field.name, 'faceValueYuan']} rules={[{ required: true }]} noStyle>
                      <InputNumber min={0} precision={2} prefix="¥" placeholder={t('membership.form.giftValueYuan')} style={{ width: 130 }} />
                    </Form.Item>
                    <Form.Item name={[field.name, 'quantity']} rules={[{ required: true }]} noStyle>
                      <InputNumber min={1} max={20} precision={0} aria-label={t('membership.form.giftQuantity')} style={{ width: 80 }} />
                    </Form.Item>
                    <Button type="link" danger onClick={() => remove(field.name)}>
                      {t('membership.form.remove')}
                    </Button>
                  </Space>
                ))}
                <Button type="dashed" onClick={() => add({ name: '', faceValueYuan: 50, quantity: 1 })} style={{ alignSelf: 'flex-start' }}>
                  {t('membership.form.addGift')}
                </Button>
              </Flex>
            )}
          </Form.List>
        </Form.Item>
      </Form>
    </Drawer>
  );
};
