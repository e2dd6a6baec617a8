-- Follow-ups (回访): the rules that create tasks after treatments, 复诊 without a deal and for
-- sleeping members, and the tasks themselves with their outcomes.
CREATE TABLE "followup_rules" (
	"tenant_id" uuid NOT NULL REFERENCES "tenants"("id"),
	"id" uuid NOT NULL,
	"name" text NOT NULL,
	"trigger" text NOT NULL,
	"item_ids" uuid[] DEFAULT '{}'::uuid[] NOT NULL,
	"category_ids" uuid[] DEFAULT '{}'::uuid[] NOT NULL,
	"offsets_days" integer[] NOT NULL,
	"assignee" text NOT NULL,
	"channel" text NOT NULL,
	"script" text NOT NULL,
	"is_active" boolean DEFAULT true NOT NULL,
	"starts_on" date NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "followup_rules_pkey" PRIMARY KEY("tenant_id","id")
);--> statement-breakpoint
CREATE TABLE "followup_tasks" (
	"tenant_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"customer_id" uuid NOT NULL,
	"rule_id" uuid,
	"source_key" text NOT NULL,
	"kind" text NOT NULL,
	"title" text NOT NULL,
	"script" text,
	"channel" text NOT NULL,
	"due_date" date NOT NULL,
	"store_id" uuid,
	"assignee_id" uuid,
	"status" text DEFAULT 'open' NOT NULL,
	"outcome" text,
	"note" text,
	"done_at" timestamp with time zone,
	"done_by" uuid,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "followup_tasks_pkey" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "followup_tasks_source_key" UNIQUE("tenant_id","source_key"),
	CONSTRAINT "followup_tasks_customer_fkey" FOREIGN KEY ("tenant_id","customer_id") REFERENCES "customers"("tenant_id","id")
);--> statement-breakpoint
CREATE INDEX "followup_tasks_due_idx" ON "followup_tasks" USING btree ("tenant_id","status","due_date");--> statement-breakpoint
CREATE INDEX "followup_tasks_customer_idx" ON "followup_tasks" USING btree ("tenant_id","customer_id");--> statement-breakpoint
CREATE INDEX "followup_tasks_assignee_idx" ON "followup_tasks" USING btree ("tenant_id","assignee_id","status");
