-- Call campaigns (呼叫活动): customers picked by a filter, ordered by value, split among callers
-- as follow-up tasks, with a goal of customers reached; each task names its campaign.
CREATE TABLE "followup_campaigns" (
	"tenant_id" uuid NOT NULL REFERENCES "tenants"("id"),
	"id" uuid NOT NULL,
	"name" text NOT NULL,
	"audience" jsonb NOT NULL,
	"max_count" integer,
	"goal" integer NOT NULL,
	"due_on" date NOT NULL,
	"staff_ids" uuid[] NOT NULL,
	"channel" text NOT NULL,
	"script" text NOT NULL,
	"status" text DEFAULT 'running' NOT NULL,
	"job_id" uuid,
	"assigned_at" timestamp with time zone,
	"created_by" uuid,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	"finished_at" timestamp with time zone,
	CONSTRAINT "followup_campaigns_pkey" PRIMARY KEY("tenant_id","id")
);--> statement-breakpoint
CREATE INDEX "followup_campaigns_created_idx" ON "followup_campaigns" USING btree ("tenant_id","created_at");--> statement-breakpoint
ALTER TABLE "followup_tasks" ADD COLUMN "campaign_id" uuid;--> statement-breakpoint
CREATE INDEX "followup_tasks_campaign_idx" ON "followup_tasks" USING btree ("tenant_id","campaign_id","status");
