import { Button, Card, Flex, Form, Input, Select, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useMessageTopics } from './messages-queries';

/**
 * 微信公众号模板消息, inside the messaging settings form: per topic, the template chosen in the
 * official account (模板ID) and what each of its fields says — the field names (thing1, time2 …)
 * as WeChat's template detail lists them, the text with the topic's {变量}. Each value is cut to
 * WeChat's limit for its kind when sent.
 */
export const WechatTemplatesFields = ({ hasAccount }: { hasAccount: boolean }) => {
  const { t } = useTranslation();
  const topics = useMessageTopics();
  const options = (topics.data?.items ?? []).map((topic) => ({
    value: topic.topic,
    label: t(`messaging.topics.${topic.topic}` as 'messaging.topics.points.expiring', { defaultValue: topic.label }),
  }));
  const variablesOf = (key: string | undefined) => topics.data?.items.find((topic) => topic.topic === key)?.variables ?? [];

  return (
    <Flex vertical gap="small" style={{ marginBottom: 24 }} data-testid="wechat-templates">
      <Typography.Title level={5} style={{ margin: 0 }}>
        {t('messaging.wechat.title')}
      </Typography.Title>
      <Typography.Paragraph type="secondary" style={{ margin: 0 }}>
        {t('messaging.wechat.intro')}
      </Typography.Paragraph>
      {!hasAccount && <Typography.Text type="warning">{t('messaging.wechat.noAccount')}</Typography.Text>}
      <Form.List name={['wechat', 'templates']}>
        {(templates, { add, remove }) => (
          <>
            {templates.map((template) => (
              <Card key={template.key} size="small">
                <Flex gap="middle" wrap align="start">
                  <Form.Item
                    name={[template.name, 'topic']}
                    label={t('messaging.wechat.topic')}
                    rules={[{ required: true, message: t('messaging.wechat.topicRule') }]}
                  >
                    <Select options={options} style={{ width: 200 }} loading={topics.isPending} />
                  </Form.Item>
                  <Form.Item
                    name={[template.name, 'templateId']}
                    label={t('messaging.wechat.templateId')}
                    rules={[{ required: true, whitespace: true, max: 64, message: t('messaging.wechat.templateIdRule') }]}
                  >
                    <Input style={{ width: 320 }} spellCheck={false} />
                  </Form.Item>
                  <Button danger type="link" onClick={() => remove(template.name)} style={{ marginTop: 30 }}>
                    {t('messaging.wechat.remove')}
                  </Button>
                </Flex>
                <Form.Item noStyle dependencies={[['wechat', 'templates', template.name, 'topic']]}>
                  {(form) => {
                    const variables = variablesOf(form.getFieldValue(['wechat', 'templates', template.name, 'topic']) as string | undefined);
                    return variables.length > 0 ? (
                      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                        {t('messaging.wechat.variables', { variables: variables.map((name) => `{${name}}`).join(' ') })}
                      </Typography.Text>
                    ) : null;
                  }}
                </Form.Item>
                <Form.List name={[template.name, 'fields']}>
                  {(fields, fieldActions) => (
                    <Flex vertical gap={4} style={{ marginTop: 8 }}>
                      {fields.map((field) => (
                        <Flex key={field.key} gap="small" align="start">
                          <Form.Item
                            name={[field.name, 'key']}
                            rules={[{ required: true, pattern: /^[a-z][a-z_]{0,30}\d{0,2}$/, message: t('messaging.wechat.fieldKeyRule') }]}
                            style={{ marginBottom: 8 }}
                          >
                            <Input placeholder="thing1" style={{ width: 160 }} spellCheck={false} aria-label={t('messaging.wechat.fieldKey')} />
                          </Form.Item>
                          <Form.Item
                            name={[field.name, 'value']}
                            rules={[{ required: true, whitespace: true, max: 200, message: t('messaging.wechat.fieldValueRule') }]}
                            style={{ marginBottom: 8, flex: 1 }}
                          >
                            <Input placeholder={t('messaging.wechat.fieldValuePlaceholder')} aria-label={t('messaging.wechat.fieldValue')} />
                          </Form.Item>
                          <Button type="link" onClick={() => fieldActions.remove(field.name)}>
                            {t('messaging.wechat.removeField')}
                          </Button>
                        </Flex>
                      ))}
                      <Button
                        type="dashed"
                        onClick={() => fieldActions.add({ key: '', value: '' })}
                        style={{ alignSelf: 'flex-start' }}
                        disabled={fields.length >= 10}
                      >
                        {t('messaging.wechat.addField')}
                      </Button>
                    </Flex>
                  )}
                </Form.List>
              </Card>
            ))}
            <Button onClick={() => add({ topic: undefined, templateId: '', fields: [{ key: 'thing1', value: '' }] })} style={{ alignSelf: 'flex-start' }}>
              {t('messaging.wechat.add')}
            </Button>
          </>
        )}
      </Form.List>
    </Flex>
  );
};
