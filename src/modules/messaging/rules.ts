import { addDays, businessDate, startOfBusinessDay } from '../../platform/clock.js';
import type { MessagingSettings } from './settings.js';
import type { MessageChannel, MessagePurpose } from './templates.js';

/** What the sending rules know about one message at the moment it would go out. */
export type SendFacts = {
  purpose: MessagePurpose;
  channel: MessageChannel;
  now: Date;
  timezone: string;
  /** SMS needs a phone; the portal a customer. */
  hasAddress: boolean;
  /** The customer's marketing consent for this channel (notices need none). */
  hasConsent: boolean;
  /** The phone refused marketing SMS (R / T / TD / 退订). */
  isOptedOut: boolean;
  /** The customer is under 14: never marketed to (PIPL Art. 31). */
  isMinor: boolean;
  marketingSentThisWeek: number;
  smsSentToday: number;
};

export type SendDecision =
  | { kind: 'send' }
  | { kind: 'suppress'; reason: SuppressReason }
  | { kind: 'defer'; until: Date; reason: 'quiet_hours' | 'daily_budget' };
export type SuppressReason = 'no_address' | 'no_consent' | 'opted_out' | 'minor' | 'frequency_cap' | 'marketing_sms_off';

const minutesOf = (clock: string): number => Number(clock.slice(0, 2)) * 60 + Number(clock.slice(3, 5));

/**
 * Whether a message goes now, waits, or is stopped — checked when it is sent, not when it was
 * scheduled, so consent withdrawn or a 退订 in between is honoured. Notices (codes, balance
 * changes, appointments) go at any hour; marketing needs consent, respects the opt-out list,
 * the weekly cap per customer, the clinic's hours (a message due at 22:00 waits for 08:00 the
 * next day) and the clinic's daily SMS budget (it waits for the next day's window).
 */
export const decideSend = (facts: SendFacts, settings: MessagingSettings): SendDecision => {
  if (!facts.hasAddress) return { kind: 'suppress', reason: 'no_address' };
  if (facts.purpose === 'notice') return { kind: 'send' };
  if (facts.channel === 'sms' && !settings.isMarketingSmsOn) return { kind: 'suppress', reason: 'marketing_sms_off' };
  if (facts.isMinor) return { kind: 'suppress', reason: 'minor' };
  if (!facts.hasConsent) return { kind: 'suppress', reason: 'no_consent' };
  if (facts.channel === 'sms' && facts.isOptedOut) return { kind: 'suppress', reason: 'opted_out' };
  if (facts.marketingSentThisWeek >= settings.marketingPerCustomerPerWeek) return { kind: 'suppress', reason: 'frequency_cap' };
  const today = businessDate(facts.now, facts.timezone);
  const minutes = Math.floor((facts.now.getTime() - startOfBusinessDay(today, facts.timezone).getTime()) / 60_000);
  const from = minutesOf(settings.marketingHours.from);
  const to = minutesOf(settings.marketingHours.to);
  const opensOn = (date: string) => startOfBusinessDay(date, facts.timezone, settings.marketingHours.from);
  if (minutes < from) return { kind: 'defer', until: opensOn(today), reason: 'quiet_hours' };
  if (minutes >= to) return { kind: 'defer', until: opensOn(addDays(today, 1)), reason: 'quiet_hours' };
  if (facts.channel === 'sms' && facts.smsSentToday >= settings.dailySmsBudget)
    return { kind: 'defer', until: opensOn(addDays(today, 1)), reason: 'daily_budget' };
  return { kind: 'send' };
};

/** Replies that refuse marketing SMS: R, T, TD, N, 退订, 拒收 (any case, with spaces or punctuation around). */
export const isOptOutReply = (text: string): boolean => /^(r|t|td|n|退订|拒收|退订短信)$/i.test(text.trim().replace(/[\s。.!！]/g, ''));

/** Retries after a failure the provider calls temporary: 1, 2, 4 … minutes, at most 5 attempts. */
export const retryPolicy = { maxAttempts: 5, baseMs: 60_000 } as const;
export const nextAttemptAt = (now: Date, attempts: number): Date => new Date(now.getTime() + retryPolicy.baseMs * 2 ** Math.max(0, attempts - 1));
