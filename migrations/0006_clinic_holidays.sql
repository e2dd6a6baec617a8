CREATE TABLE "clinic_holidays" (
	"tenant_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"day" date NOT NULL,
	"name" text NOT NULL,
	"is_holiday" boolean NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "clinic_holidays_pkey" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "clinic_holidays_day_key" UNIQUE("tenant_id","day")
);
--> statement-breakpoint
ALTER TABLE "clinic_holidays" ADD CONSTRAINT "clinic_holidays_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;