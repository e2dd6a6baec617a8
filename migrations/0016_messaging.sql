-- Messaging: the message log (every message sent or tried, with its fate), the clinic's own
-- template texts, marketing consent per customer and channel, and the phones that refused
-- marketing SMS. The outbox keeps being the queue; the dispatcher turns its rows into messages.
CREATE TABLE "messages" (
	"tenant_id" uuid NOT NULL REFERENCES "tenants"("id"),
	"id" uuid NOT NULL,
	"customer_id" uuid,
	"channel" text NOT NULL,
	"purpose" text NOT NULL,
	"topic" text NOT NULL,
	"source_key" text NOT NULL,
	"title" text NOT NULL,
	"body" text NOT NULL,
	"variables" jsonb,
	"status" text NOT NULL,
	"reason" text,
	"provider" text,
	"provider_message_id" text,
	"attempts" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp with time zone,
	"created_at" timestamp with time zone NOT NULL,
	"sent_at" timestamp with time zone,
	"delivered_at" timestamp with time zone,
	"read_at" timestamp with time zone,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "messages_pkey" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "messages_source_key" UNIQUE("tenant_id","source_key")
);--> statement-breakpoint
CREATE INDEX "messages_customer_idx" ON "messages" USING btree ("tenant_id","customer_id","created_at");--> statement-breakpoint
CREATE INDEX "messages_created_idx" ON "messages" USING btree ("tenant_id","created_at");--> statement-breakpoint
CREATE INDEX "messages_provider_id_idx" ON "messages" USING btree ("provider_message_id");--> statement-breakpoint
CREATE INDEX "messages_due_idx" ON "messages" USING btree ("status","next_attempt_at");--> statement-breakpoint
CREATE TABLE "message_templates" (
	"tenant_id" uuid NOT NULL REFERENCES "tenants"("id"),
	"topic" text NOT NULL,
	"channel" text NOT NULL,
	"body" text NOT NULL,
	"provider_template_code" text,
	"is_enabled" boolean DEFAULT true NOT NULL,
	"updated_by" uuid,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "message_templates_pkey" PRIMARY KEY("tenant_id","topic","channel")
);--> statement-breakpoint
CREATE TABLE "customer_consents" (
	"tenant_id" uuid NOT NULL,
	"customer_id" uuid NOT NULL,
	"channel" text NOT NULL,
	"is_granted" boolean NOT NULL,
	"source" text NOT NULL,
	"updated_by" uuid,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "customer_consents_pkey" PRIMARY KEY("tenant_id","customer_id","channel"),
	CONSTRAINT "customer_consents_customer_fkey" FOREIGN KEY ("tenant_id","customer_id") REFERENCES "customers"("tenant_id","id")
);--> statement-breakpoint
CREATE TABLE "message_suppressions" (
	"tenant_id" uuid NOT NULL REFERENCES "tenants"("id"),
	"phone" text NOT NULL,
	"source" text NOT NULL,
	"note" text,
	"created_by" uuid,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "message_suppressions_pkey" PRIMARY KEY("tenant_id","phone")
);
