-- 群发 (campaigns): a message to an audience now, at a chosen time, or every week or month. Each
-- run's messages carry the campaign's id, so the campaign's results (sent, delivered, stopped by a
-- rule, orders that followed) are read from the message log.
CREATE TABLE "message_campaigns" (
	"tenant_id" uuid NOT NULL REFERENCES "tenants"("id"),
	"id" uuid NOT NULL,
	"name" text NOT NULL,
	"channel" text NOT NULL,
	"audience" jsonb NOT NULL,
	"title" text NOT NULL,
	"body" text NOT NULL,
	"provider_template_code" text,
	"send_at" timestamp with time zone,
	"schedule" jsonb,
	"attribution_days" integer NOT NULL,
	"status" text NOT NULL,
	"last_run_at" timestamp with time zone,
	"created_by" uuid,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "message_campaigns_pkey" PRIMARY KEY("tenant_id","id")
);--> statement-breakpoint
CREATE INDEX "message_campaigns_due_idx" ON "message_campaigns" USING btree ("status","send_at");--> statement-breakpoint
ALTER TABLE "messages" ADD COLUMN "campaign_id" uuid;--> statement-breakpoint
CREATE INDEX "messages_campaign_idx" ON "messages" USING btree ("tenant_id","campaign_id","status") WHERE "campaign_id" IS NOT NULL;
