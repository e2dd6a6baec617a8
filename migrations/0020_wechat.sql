-- WeChat official-account template messages: which follower of the clinic's official account a
-- customer is (her openid in that account), bound by herself in the member portal through
-- WeChat's web authorisation. One openid per customer and one customer per openid in a clinic.
CREATE TABLE "customer_wechat_bindings" (
	"tenant_id" uuid NOT NULL,
	"customer_id" uuid NOT NULL,
	"openid" text NOT NULL,
	"bound_at" timestamp with time zone NOT NULL,
	CONSTRAINT "customer_wechat_bindings_pkey" PRIMARY KEY("tenant_id","customer_id"),
	CONSTRAINT "customer_wechat_bindings_openid" UNIQUE("tenant_id","openid"),
	CONSTRAINT "customer_wechat_bindings_customer_fkey" FOREIGN KEY ("tenant_id","customer_id") REFERENCES "customers"("tenant_id","id")
);
