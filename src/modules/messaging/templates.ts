/**
 * The messages Yuehui sends, by topic: whether each is a notice (no consent needed) or marketing,
 * the channels it may go by, its variables and its built-in wording. A clinic may reword a topic
 * per channel (`message_templates`); the wording rule guards every text a customer reads.
 */
export const messageChannels = ['sms', 'portal', 'wechat'] as const;
export type MessageChannel = (typeof messageChannels)[number];
export type MessagePurpose = 'notice' | 'marketing';

export type Topic = {
  key: string;
  label: string;
  purpose: MessagePurpose;
  channels: readonly MessageChannel[];
  /** The portal inbox's title. */
  title: string;
  body: string;
  variables: readonly string[];
};

export const topics = [
  {
    key: 'portal.code',
    label: '会员登录验证码',
    purpose: 'notice',
    channels: ['sms'],
    title: '登录验证码',
    body: '您的登录验证码为 {验证码}，5 分钟内有效。如非本人操作请忽略。',
    variables: ['验证码'],
  },
  {
    key: 'points.expiring',
    label: '积分到期提醒',
    purpose: 'notice',
    channels: ['portal', 'wechat', 'sms'],
    title: '积分即将到期',
    body: '{姓名}您好，您有 {积分} 积分将于 {到期日} 到期，到店消费可抵现。',
    variables: ['姓名', '积分', '到期日', '诊所'],
  },
  {
    key: 'vouchers.expiring',
    label: '优惠券到期提醒',
    purpose: 'marketing',
    channels: ['portal', 'sms'],
    title: '优惠券即将到期',
    body: '{姓名}您好，您的{券名}将于 {到期日} 到期，欢迎到店使用。',
    variables: ['姓名', '券名', '到期日', '诊所'],
  },
  {
    key: 'appointments.reminder',
    label: '预约提醒',
    purpose: 'notice',
    channels: ['portal', 'wechat', 'sms'],
    title: '预约提醒',
    body: '{姓名}您好，提醒您 {预约时间} 在{门店}的预约，如需改期请联系门店。',
    variables: ['姓名', '预约时间', '门店', '诊所'],
  },
  {
    key: 'customers.birthday',
    label: '生日祝福',
    purpose: 'marketing',
    channels: ['portal', 'sms'],
    title: '生日快乐',
    body: '{姓名}生日快乐！{诊所}祝您生日快乐，生日当月到店可享会员生日礼遇。',
    variables: ['姓名', '诊所'],
  },
  {
    key: 'customers.wakeup',
    label: '沉睡唤醒',
    purpose: 'marketing',
    channels: ['portal', 'sms'],
    title: '好久不见',
    body: '{姓名}您好，好久不见，{诊所}期待再次为您服务，欢迎预约到店。',
    variables: ['姓名', '诊所'],
  },
  {
    key: 'customers.welcome',
    label: '入会欢迎',
    purpose: 'notice',
    channels: ['portal'],
    title: '欢迎入会',
    body: '{姓名}您好，欢迎成为{诊所}会员！在会员中心可查看积分、优惠券和预约。',
    variables: ['姓名', '诊所'],
  },
  {
    // A notice: advice about a treatment she had, never an offer (the series' texts are checked for promotion words).
    key: 'treatments.care',
    label: '术后护理',
    purpose: 'notice',
    channels: ['portal', 'wechat', 'sms'],
    title: '护理提醒',
    body: '{姓名}您好，{护理提示}',
    variables: ['姓名', '项目', '护理提示', '诊所'],
  },
] as const satisfies readonly Topic[];

export type TopicKey = (typeof topics)[number]['key'];

export const topicOf = (key: string): Topic | undefined => topics.find((topic) => topic.key === key);

/** The parameter names providers' templates use for our variables (Aliyun by name; Tencent by order). */
export const providerParamNames: Record<string, string> = {
  验证码: 'code',
  姓名: 'name',
  积分: 'points',
  到期日: 'date',
  券名: 'voucher',
  诊所: 'clinic',
  预约时间: 'time',
  门店: 'store',
  项目: 'item',
  护理提示: 'advice',
};

/** Fills {变量} with values; an unknown variable stays as written so a preview shows it. */
export const renderTemplate = (body: string, values: Readonly<Record<string, string>>): string =>
  body.replace(/\{([^{}]{1,10})\}/g, (whole, name: string) => values[name] ?? whole);

/** The variables a text uses, in order of first use (Tencent's parameters are positional). */
export const variablesIn = (body: string): string[] => [...new Set([...body.matchAll(/\{([^{}]{1,10})\}/g)].map((match) => match[1] ?? ''))];

/** Every commercial SMS ends with how to refuse it (通信短信息服务管理规定 Art. 18). */
export const optOutLine = '拒收请回复R';

/** A WeChat template's data: each field's text with the message's variables filled in (cut to WeChat's limits when sent). */
export const wechatTemplateData = (fields: readonly { key: string; value: string }[], values: Readonly<Record<string, string>>): Record<string, string> =>
  Object.fromEntries(fields.map((field) => [field.key, renderTemplate(field.value, values)]));
