import type { Writable } from 'node:stream';
import { maskMobile } from '../../platform/phone.js';

/** Where verification codes go. Production uses a provider's SDK (messaging issue); development uses the log channel. */
export type SmsChannel = { name: string; send: (message: { phone: string; text: string }) => Promise<void> };

/**
 * The development channel: prints the message on its own stream (stdout by default), apart
 * from the application log, which never carries codes.
 */
export const logSmsChannel = (destination: Pick<Writable, 'write'> = process.stdout): SmsChannel => ({
  name: 'log',
  send: async ({ phone, text }) => {
    destination.write(`[短信·开发通道] ${maskMobile(phone)}：${text}\n`);
  },
});
