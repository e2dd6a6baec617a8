import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { Button, Flex, Form, InputNumber, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { ItemFormValues } from './item-form-values';
import { ItemSearchSelect } from './item-search-select';

/** 包含项目: the service items a package or card holds, each with its number of sessions. */
export const ItemContentsField = ({ excludeId, initialNames }: { excludeId?: string; initialNames: readonly { id: string; name: string }[] }) => {
  const { t } = useTranslation();
  return (
    <Form.Item label={t('catalog.fields.contents')} required>
      <Form.List
        name="contents"
        rules={[
          {
            validator: async (_, contents: ItemFormValues['contents'] | undefined) => {
              if (!contents || contents.length === 0) throw new Error(t('catalog.validation.contentsRequired'));
            },
          },
        ]}
      >
        {(fields, { add, remove }, { errors }) => (
          <Flex vertical gap={8}>
            {fields.map((field, index) => (
              <Flex key={field.key} gap="small" align="flex-start">
                <Form.Item
                  name={[field.name, 'itemId']}
                  style={{ flex: 1, marginBottom: 0 }}
                  rules={[{ required: true, message: t('catalog.validation.contentItemRequired') }]}
                >
                  <ItemSearchSelect
                    kind="service"
                    aria-label={t('catalog.form.contentItem', { index: index + 1 })}
                    placeholder={t('catalog.form.contentItemPlaceholder')}
                    excludeIds={excludeId ? [excludeId] : []}
                    initialOptions={initialNames}
                  />
                </Form.Item>
                <Form.Item
                  name={[field.name, 'sessions']}
                  style={{ marginBottom: 0 }}
                  rules={[{ required: true, message: t('catalog.validation.sessionsRequired') }]}
                >
                  <InputNumber
                    aria-label={t('catalog.form.contentSessions', { index: index + 1 })}
                    min={1}
                    max={999}
                    precision={0}
                    suffix={t('catalog.form.sessionsUnit')}
                    style={{ width: 110 }}
                  />
                </Form.Item>
                <Button type="text" danger icon={<DeleteOutlined />} aria-label={t('common.remove')} onClick={() => remove(field.name)} />
              </Flex>
            ))}
            <Form.ErrorList errors={errors} />
            <Button type="dashed" icon={<PlusOutlined />} onClick={() => add({ sessions: 1 })}>
              {t('catalog.form.addContent')}
            </Button>
            {fields.length > 0 && <Typography.Text type="secondary">{t('catalog.form.contentsHelp')}</Typography.Text>}
          </Flex>
        )}
      </Form.List>
    </Form.Item>
  );
};
