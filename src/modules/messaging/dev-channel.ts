import type { Writable } from 'node:stream';
import type { SmsChannel } from '../../platform/deps.js';
import { maskMobile } from '../../platform/phone.js';

export type { SmsChannel };

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
