import type { DatabaseKind, Db } from '../db/client.js';
import type { SmsChannel } from '../modules/portal/sms.js';
import type { Clock } from './clock.js';
import type { JobRunner } from './jobs.js';
import type { RateLimiter } from './rate-limit.js';

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
};
