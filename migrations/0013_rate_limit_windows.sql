-- Rate-limit counters (login, SMS codes, claims …) in the database, so a restart does not reset
-- them and every app instance counts the same attempts. One fixed window per key; the key is
-- stored as its SHA-256 (keys name phones and addresses). Shared by all clinics: keys carry the
-- tenant where they are per clinic.
CREATE TABLE rate_limit_windows (
  key_hash text PRIMARY KEY,
  count integer NOT NULL,
  reset_at timestamptz NOT NULL
);
--> statement-breakpoint
CREATE INDEX rate_limit_windows_reset_at ON rate_limit_windows (reset_at);
