export type { AliyunSmsConfig } from './aliyun.js';
export { aliyunSmsProvider, classifyAliyunCode, parseAliyunReceipts, parseAliyunReplies } from './aliyun.js';
export type { TencentSmsConfig } from './tencent.js';
export { classifyTencentCode, parseTencentReceipts, parseTencentReplies, tencentSmsProvider } from './tencent.js';
export type * from './types.js';
export type { WechatConfig, WechatProvider, WechatTemplateRequest } from './wechat.js';
export { classifyWechatCode, fitWechatData, fitWechatField, wechatEndpointFromEnv, wechatProvider } from './wechat.js';
