/** One SMS to send through a provider: the provider's approved template and its parameters, in template order. */
export type SmsSendRequest = {
  phone: string; // mainland mobile, 11 digits, e.g. '13800138000' (adapters add +86 where the provider wants it)
  signName: string; // 签名, e.g. '悦会医美'
  templateCode: string; // Aliyun 'SMS_123456789'; Tencent numeric template id as a string
  params: { name: string; value: string }[]; // Aliyun sends them as a JSON object by name; Tencent as an ordered array of values
  idempotencyId: string; // our message id: Aliyun OutId, Tencent SessionContext, so a receipt can be matched back
};
export type SmsErrorClass = 'throttled' | 'invalid_number' | 'template_not_approved' | 'balance_exhausted' | 'auth' | 'network' | 'other';
export type SmsSendResult =
  | { ok: true; providerMessageId: string }
  | { ok: false; errorClass: SmsErrorClass; retryable: boolean; providerCode: string; message: string };
export type SmsProvider = { name: 'aliyun' | 'tencent'; send: (request: SmsSendRequest) => Promise<SmsSendResult> };
/** A delivery receipt or an inbound reply, from a provider's callback, normalised. */
export type SmsReceipt = {
  providerMessageId: string | null;
  idempotencyId: string | null;
  phone: string;
  status: 'delivered' | 'failed';
  errorCode: string | null;
  at: Date;
};
export type SmsReply = { phone: string; text: string; at: Date };
