import type { DatabaseKind, Db } from '../db/client.js';
import type { Clock } from './clock.js';
import type { JobRunner } from './jobs.js';
import type { RateLimiter } from './rate-limit.js';

/** Where verification codes go. Production uses a provider's SDK (messaging issue); development uses the log channel. */
export type SmsChannel = { name: string; send: (message: { phone: string; text: string }) => Promise<void> };

/** What route modules are built with: passed explicitly, no container. */
export type Deps = {
  db: Db;
  databaseKind: DatabaseKind;
  clock: Clock;
  limiter: RateLimiter;
  secureCookies: boolean;
  sms: SmsChannel;
  /** Background jobs: a start request kicks its job once committed. */
  jobs: Pick<JobRunner, 'kick'>;
  /**
   * Who may create a clinic on the setup page: 'first_clinic_only' (anyone, while the database has
   * no clinic; then closed) or 'open' (beside existing clinics too: the demo, or an operator's choice).
   */
  setupPolicy?: 'first_clinic_only' | 'open';
};
