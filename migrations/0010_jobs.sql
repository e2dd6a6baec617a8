CREATE TABLE "jobs" (
	"tenant_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"kind" text NOT NULL,
	"idempotency_key" text NOT NULL,
	"status" text NOT NULL,
	"permission" text NOT NULL,
	"payload" jsonb NOT NULL,
	"state" jsonb,
	"progress_done" integer DEFAULT 0 NOT NULL,
	"progress_total" integer,
	"result" jsonb,
	"error" text,
	"attempts" integer DEFAULT 0 NOT NULL,
	"actor_type" text NOT NULL,
	"actor_id" uuid,
	"lease_id" uuid,
	"lease_until" timestamp with time zone,
	"run_after" timestamp with time zone,
	"created_at" timestamp with time zone NOT NULL,
	"started_at" timestamp with time zone,
	"finished_at" timestamp with time zone,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "jobs_pkey" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "jobs_idempotency_key" UNIQUE("tenant_id","kind","idempotency_key")
);
--> statement-breakpoint
DROP INDEX "customer_vouchers_template_idx";--> statement-breakpoint
CREATE INDEX "jobs_status_idx" ON "jobs" USING btree ("status","created_at");