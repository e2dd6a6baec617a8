import { describe, expect, it } from 'vitest';
import { decideSend, isOptOutReply, nextAttemptAt, type SendFacts } from './rules.js';
import { messagingSetting } from './settings.js';

const settings = { ...messagingSetting.defaults, isMarketingSmsOn: true };
/** 2026-12-07 in Shanghai (UTC+8). */
const at = (clock: string) => new Date(`2026-12-07T${clock}:00+08:00`);
const facts = (overrides: Partial<SendFacts> = {}): SendFacts => ({
  purpose: 'marketing',
  channel: 'portal',
  now: at('10:00'),
  timezone: 'Asia/Shanghai',
  hasAddress: true,
  hasConsent: true,
  isOptedOut: false,
  isMinor: false,
  marketingSentThisWeek: 0,
  smsSentToday: 0,
  ...overrides,
});

describe('the sending rules', () => {
  it('sends marketing at 21:59 and holds one due at 22:00 until 08:00 the next day, in the clinic’s time zone', () => {
    expect(decideSend(facts({ now: at('21:59') }), settings)).toEqual({ kind: 'send' });
    expect(decideSend(facts({ now: at('22:00') }), settings)).toEqual({ kind: 'defer', until: new Date('2026-12-08T08:00:00+08:00'), reason: 'quiet_hours' });
    expect(decideSend(facts({ now: at('07:59') }), settings)).toEqual({ kind: 'defer', until: new Date('2026-12-07T08:00:00+08:00'), reason: 'quiet_hours' });
    // 23:30 in Shanghai is 15:30 UTC the same day: the window is the clinic's, not the server's.
    expect(decideSend(facts({ now: new Date('2026-12-07T15:30:00Z') }), settings)).toMatchObject({
      kind: 'defer',
      until: new Date('2026-12-08T08:00:00+08:00'),
    });
    // A clinic may narrow the window.
    expect(decideSend(facts({ now: at('19:00') }), { ...settings, marketingHours: { from: '09:00', to: '18:30' } })).toMatchObject({ kind: 'defer' });
  });

  it('sends notices at any hour, without consent, even to a phone that refused marketing', () => {
    const notice = facts({
      purpose: 'notice',
      channel: 'sms',
      now: at('23:30'),
      hasConsent: false,
      isOptedOut: true,
      marketingSentThisWeek: 99,
      smsSentToday: 10_000,
    });
    expect(decideSend(notice, settings)).toEqual({ kind: 'send' });
  });

  it('stops marketing without consent, after a 退订, to a minor, past the weekly cap, and by SMS unless switched on', () => {
    expect(decideSend(facts({ hasConsent: false }), settings)).toEqual({ kind: 'suppress', reason: 'no_consent' });
    expect(decideSend(facts({ channel: 'sms', isOptedOut: true }), settings)).toEqual({ kind: 'suppress', reason: 'opted_out' });
    expect(decideSend(facts({ isMinor: true }), settings)).toEqual({ kind: 'suppress', reason: 'minor' });
    expect(decideSend(facts({ marketingSentThisWeek: 2 }), settings)).toEqual({ kind: 'suppress', reason: 'frequency_cap' });
    expect(decideSend(facts({ marketingSentThisWeek: 1 }), settings)).toEqual({ kind: 'send' });
    expect(decideSend(facts({ channel: 'sms' }), { ...settings, isMarketingSmsOn: false })).toEqual({ kind: 'suppress', reason: 'marketing_sms_off' });
    expect(decideSend(facts({ hasAddress: false, purpose: 'notice' }), settings)).toEqual({ kind: 'suppress', reason: 'no_address' });
  });

  it('holds marketing SMS over the clinic’s daily budget until the next day’s window', () => {
    expect(decideSend(facts({ channel: 'sms', smsSentToday: 500 }), settings)).toEqual({
      kind: 'defer',
      until: new Date('2026-12-08T08:00:00+08:00'),
      reason: 'daily_budget',
    });
    expect(decideSend(facts({ channel: 'sms', smsSentToday: 499 }), settings)).toEqual({ kind: 'send' });
  });

  it('reads R, T, TD and 退订 as refusals, and nothing else', () => {
    for (const reply of ['R', 'r', 'T', 'TD', 'td ', '退订', '退订。', '拒收']) expect(isOptOutReply(reply), reply).toBe(true);
    for (const reply of ['好的', '谢谢', 'TDD', '预约明天', '']) expect(isOptOutReply(reply), reply).toBe(false);
  });

  it('backs off 1, 2, 4 minutes between attempts', () => {
    const now = new Date('2026-12-07T02:00:00Z');
    expect([1, 2, 3].map((attempt) => (nextAttemptAt(now, attempt).getTime() - now.getTime()) / 60_000)).toEqual([1, 2, 4]);
  });
});
