export type { AliyunSmsConfig } from './aliyun.js';
export { aliyunSmsProvider, classifyAliyunCode, parseAliyunReceipts, parseAliyunReplies } from './aliyun.js';
export type { TencentSmsConfig } from './tencent.js';
export { classifyTencentCode, parseTencentReceipts, parseTencentReplies, tencentSmsProvider } from './tencent.js';
export type * from './types.js';
