CREATE TABLE "cache_generations" (
	"name" text PRIMARY KEY NOT NULL,
	"value" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "hub_meta" (
	"key" text PRIMARY KEY NOT NULL,
	"value" text NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "inbox_messages" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"source" text NOT NULL,
	"dedupe_key" text NOT NULL,
	"method" text NOT NULL,
	"path" text NOT NULL,
	"headers" jsonb NOT NULL,
	"content_type" text,
	"body" text NOT NULL,
	"queue" text NOT NULL,
	"job_id" text,
	"status" text DEFAULT 'received' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"error" text,
	"request_id" text,
	"tenant" text,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	"processed_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "rate_buckets" (
	"key" text PRIMARY KEY NOT NULL,
	"tokens" double precision NOT NULL,
	"updated_ms" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "amo_accounts" (
	"amo_account_id" bigint PRIMARY KEY NOT NULL,
	"subdomain" text NOT NULL,
	"name" text NOT NULL,
	"country" text,
	"amo_user_id" bigint,
	"owner" text,
	"status" text NOT NULL,
	"access_token_enc" text,
	"refresh_token_enc" text,
	"access_expires_at" timestamp with time zone,
	"tokens_refreshed_at" timestamp with time zone,
	"token_version" integer DEFAULT 0 NOT NULL,
	"paused_until" timestamp with time zone,
	"last_error" text,
	"connected_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "amo_complex_intents" (
	"marker" text PRIMARY KEY NOT NULL,
	"amo_account_id" bigint NOT NULL,
	"sent_at" timestamp with time zone NOT NULL,
	"attempt_at" timestamp with time zone NOT NULL,
	"lead_id" bigint,
	"contact_id" bigint,
	"company_id" bigint,
	"merged" boolean DEFAULT false NOT NULL
);
--> statement-breakpoint
CREATE TABLE "amo_oauth_states" (
	"state_hash" text PRIMARY KEY NOT NULL,
	"owner" text NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "customs_events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"amo_account_id" bigint NOT NULL,
	"lead_id" bigint NOT NULL,
	"source" text NOT NULL,
	"kind" text NOT NULL,
	"step" text NOT NULL,
	"code" text,
	"summary" text NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"inbox_id" bigint,
	"details" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "customs_invoice_payments" (
	"amo_account_id" bigint NOT NULL,
	"event_id" text NOT NULL,
	"invoice_id" bigint NOT NULL,
	"paid_at" timestamp with time zone NOT NULL,
	"amount_kopecks" bigint NOT NULL,
	"total_paid_kopecks" bigint NOT NULL,
	"kind" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "customs_invoice_payments_amo_account_id_event_id_pk" PRIMARY KEY("amo_account_id","event_id")
);
--> statement-breakpoint
CREATE TABLE "customs_invoices" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"amo_account_id" bigint NOT NULL,
	"lead_id" bigint NOT NULL,
	"event_id" text,
	"id_1c" text NOT NULL,
	"number" text NOT NULL,
	"date" text NOT NULL,
	"total_kopecks" bigint,
	"vat_kopecks" bigint,
	"paid_kopecks" bigint DEFAULT 0 NOT NULL,
	"status" text NOT NULL,
	"link" text DEFAULT '' NOT NULL,
	"last_paid_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "customs_lead_statuses" (
	"amo_account_id" bigint NOT NULL,
	"lead_id" bigint NOT NULL,
	"kind" text NOT NULL,
	"code" text NOT NULL,
	"occurred_at" timestamp with time zone NOT NULL,
	"details" jsonb NOT NULL,
	"event_id" text NOT NULL,
	"inbox_id" bigint NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "customs_lead_statuses_amo_account_id_lead_id_kind_pk" PRIMARY KEY("amo_account_id","lead_id","kind")
);
--> statement-breakpoint
CREATE TABLE "customs_onec_bases" (
	"amo_account_id" bigint PRIMARY KEY NOT NULL,
	"id_base" text NOT NULL,
	"web_address" text NOT NULL,
	"login" text NOT NULL,
	"password_sealed" text NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "customs_ptd_exports" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"amo_account_id" bigint NOT NULL,
	"lead_id" bigint NOT NULL,
	"document_id" text NOT NULL,
	"album_version" text NOT NULL,
	"sha256" text NOT NULL,
	"bytes" integer NOT NULL,
	"warnings" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "customs_status_mappings" (
	"amo_account_id" bigint NOT NULL,
	"kind" text NOT NULL,
	"code" text NOT NULL,
	"pipeline_id" bigint,
	"status_id" bigint,
	"fields" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"note" text,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "customs_status_mappings_amo_account_id_kind_code_pk" PRIMARY KEY("amo_account_id","kind","code")
);
--> statement-breakpoint
CREATE TABLE "customs_tokens" (
	"amo_account_id" bigint NOT NULL,
	"source" text NOT NULL,
	"token_hash" text NOT NULL,
	"prefix" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"rotated_at" timestamp with time zone,
	CONSTRAINT "customs_tokens_amo_account_id_source_pk" PRIMARY KEY("amo_account_id","source")
);
--> statement-breakpoint
CREATE TABLE "onec_sync_bases" (
	"account_key" text NOT NULL,
	"id_base" text NOT NULL,
	"web_address" text NOT NULL,
	"url_address" text NOT NULL,
	"login" text NOT NULL,
	"password_sealed" text NOT NULL,
	"checked_at" timestamp with time zone,
	"options" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "onec_sync_bases_account_key_id_base_pk" PRIMARY KEY("account_key","id_base")
);
--> statement-breakpoint
CREATE TABLE "onec_sync_events" (
	"account_key" text NOT NULL,
	"id_base" text NOT NULL,
	"event_key" text NOT NULL,
	"event_name" text NOT NULL,
	"lead_id" bigint NOT NULL,
	"state" text DEFAULT 'pending' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "onec_sync_events_account_key_id_base_event_key_pk" PRIMARY KEY("account_key","id_base","event_key")
);
--> statement-breakpoint
CREATE TABLE "onec_sync_field_maps" (
	"account_key" text NOT NULL,
	"id_base" text NOT NULL,
	"entity" text NOT NULL,
	"fields" jsonb NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "onec_sync_field_maps_account_key_id_base_entity_pk" PRIMARY KEY("account_key","id_base","entity")
);
--> statement-breakpoint
CREATE TABLE "onec_sync_handlers" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"account_key" text DEFAULT '' NOT NULL,
	"id_base" text DEFAULT '' NOT NULL,
	"version" integer NOT NULL,
	"handlers" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "onec_sync_index_state" (
	"account_key" text PRIMARY KEY NOT NULL,
	"loaded_at" timestamp with time zone,
	"contacts" integer DEFAULT 0 NOT NULL,
	"companies" integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "onec_sync_links" (
	"account_key" text NOT NULL,
	"id_base" text NOT NULL,
	"entity" text NOT NULL,
	"id_1c" text NOT NULL,
	"amo_id" bigint NOT NULL,
	"link" text,
	"amo_updated_at" bigint,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "onec_sync_links_account_key_id_base_entity_id_1c_pk" PRIMARY KEY("account_key","id_base","entity","id_1c")
);
--> statement-breakpoint
CREATE TABLE "onec_sync_match_keys" (
	"account_key" text NOT NULL,
	"entity" text NOT NULL,
	"kind" text NOT NULL,
	"value" text NOT NULL,
	"amo_id" bigint NOT NULL,
	"raw" text NOT NULL,
	CONSTRAINT "onec_sync_match_keys_account_key_entity_kind_value_amo_id_pk" PRIMARY KEY("account_key","entity","kind","value","amo_id")
);
--> statement-breakpoint
CREATE TABLE "onec_sync_secrets" (
	"account_key" text PRIMARY KEY NOT NULL,
	"secret_sealed" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"rotated_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "quiz_accounts" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"quiz_account_id" text NOT NULL,
	"amo_account_id" bigint NOT NULL,
	"name" text NOT NULL,
	"subdomain" text NOT NULL,
	"amo_user_id" bigint NOT NULL,
	"country" text DEFAULT '' NOT NULL,
	"deleted" boolean DEFAULT false NOT NULL,
	"deleted_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "quiz_fields" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"amo_account_id" bigint NOT NULL,
	"entity_type" text NOT NULL,
	"amo_id" bigint NOT NULL,
	"code" text DEFAULT '' NOT NULL,
	"name" text DEFAULT '' NOT NULL,
	"type" text NOT NULL,
	"enums" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"deleted" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "quiz_pipelines" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"amo_account_id" bigint NOT NULL,
	"amo_id" bigint NOT NULL,
	"name" text DEFAULT '' NOT NULL,
	"is_archive" boolean DEFAULT false NOT NULL,
	"deleted" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "quiz_results" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"quiz_account_id" text NOT NULL,
	"result_id" text NOT NULL,
	"quiz_id" bigint NOT NULL,
	"payload" jsonb NOT NULL,
	"status" text DEFAULT 'queued' NOT NULL,
	"amo_account_id" bigint,
	"amo_lead_id" bigint,
	"amo_contact_id" bigint,
	"amo_company_id" bigint,
	"error" jsonb,
	"warnings" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"dispatched_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"sent_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "quiz_rules" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"quiz_account_id" text NOT NULL,
	"amo_account_id" bigint NOT NULL,
	"quiz_id" bigint NOT NULL,
	"performer_id" bigint NOT NULL,
	"pipeline_id" bigint NOT NULL,
	"step_id" bigint NOT NULL,
	"fields_rule" jsonb NOT NULL,
	"tags_to_add" jsonb NOT NULL,
	"state" text DEFAULT 'pending' NOT NULL,
	"problems" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"checked_at" timestamp with time zone,
	"deleted" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "quiz_steps" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"amo_account_id" bigint NOT NULL,
	"pipeline_amo_id" bigint NOT NULL,
	"amo_id" bigint NOT NULL,
	"name" text DEFAULT '' NOT NULL,
	"color" text DEFAULT '' NOT NULL,
	"deleted" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "quiz_tags" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"amo_account_id" bigint NOT NULL,
	"entity" text NOT NULL,
	"amo_id" bigint NOT NULL,
	"name" text DEFAULT '' NOT NULL,
	"color" text DEFAULT '' NOT NULL,
	"deleted" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "quiz_users" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"amo_account_id" bigint NOT NULL,
	"amo_id" bigint NOT NULL,
	"name" text DEFAULT '' NOT NULL,
	"email" text DEFAULT '' NOT NULL,
	"role" text DEFAULT '' NOT NULL,
	"group_id" bigint DEFAULT 0 NOT NULL,
	"deleted" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "samba_acts" (
	"uuid" text PRIMARY KEY NOT NULL,
	"campaign_uuid" text NOT NULL,
	"placement" text NOT NULL,
	"document" text NOT NULL,
	"amount_kop" bigint NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "samba_brands" (
	"uuid" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"name_lc" text NOT NULL,
	"contractor_uuid" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "samba_campaigns" (
	"uuid" text PRIMARY KEY NOT NULL,
	"rk_id" text NOT NULL,
	"number_mf" text NOT NULL,
	"name" text NOT NULL,
	"name_lc" text NOT NULL,
	"date_start" text DEFAULT '' NOT NULL,
	"date_end" text DEFAULT '' NOT NULL,
	"advance" boolean DEFAULT false NOT NULL,
	"contractor_uuid" text NOT NULL,
	"finaladv_uuid" text,
	"contract_uuid" text,
	"brand_uuid" text,
	"invoice_seq" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "samba_contracts" (
	"uuid" text PRIMARY KEY NOT NULL,
	"number" text NOT NULL,
	"date" text NOT NULL,
	"finaladv_uuid" text NOT NULL,
	"contractor_uuid" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "samba_counters" (
	"name" text PRIMARY KEY NOT NULL,
	"value" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "samba_customers" (
	"uuid" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"name_lc" text NOT NULL,
	"full_name" text DEFAULT '' NOT NULL,
	"inn" text NOT NULL,
	"kpp" text DEFAULT '' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "samba_finaladv" (
	"uuid" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"name_lc" text NOT NULL,
	"full_name" text DEFAULT '' NOT NULL,
	"inn" text NOT NULL,
	"kpp" text DEFAULT '' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "samba_invoices" (
	"uuid" text PRIMARY KEY NOT NULL,
	"number" text NOT NULL,
	"date" text NOT NULL,
	"advance" boolean NOT NULL,
	"amount_kop" bigint NOT NULL,
	"vat_kop" bigint NOT NULL,
	"vat_rate" integer NOT NULL,
	"campaign_uuid" text NOT NULL,
	"ext_number" text DEFAULT '' NOT NULL,
	"ext_date" text DEFAULT '' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "samba_payments" (
	"uuid" text PRIMARY KEY NOT NULL,
	"invoice_uuid" text NOT NULL,
	"doctype" text NOT NULL,
	"number_mf" text DEFAULT '' NOT NULL,
	"number" text NOT NULL,
	"date" text NOT NULL,
	"payment_date" text NOT NULL,
	"amount_kop" bigint NOT NULL,
	"details" text DEFAULT '' NOT NULL,
	"source_key" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "samba_placements" (
	"campaign_uuid" text NOT NULL,
	"placement" text NOT NULL,
	"amount_kop" bigint NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "samba_placements_campaign_uuid_placement_pk" PRIMARY KEY("campaign_uuid","placement")
);
--> statement-breakpoint
CREATE TABLE "samba_users" (
	"login" text PRIMARY KEY NOT NULL,
	"password_hash" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "tracking_api_key_daily" (
	"key_id" bigint NOT NULL,
	"day" date NOT NULL,
	"requests" integer DEFAULT 0 NOT NULL,
	"errors" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "tracking_api_key_daily_key_id_day_pk" PRIMARY KEY("key_id","day")
);
--> statement-breakpoint
CREATE TABLE "tracking_api_keys" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"bot_id" bigint NOT NULL,
	"name" text DEFAULT '' NOT NULL,
	"key_hash" text NOT NULL,
	"prefix" text NOT NULL,
	"rate_limit_per_minute" integer NOT NULL,
	"scope" text DEFAULT 'write' NOT NULL,
	"origin" text DEFAULT 'generated' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"revoked_at" timestamp with time zone,
	"last_used_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "tracking_api_requests" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"key_id" bigint,
	"bot_id" bigint,
	"at" timestamp with time zone NOT NULL,
	"method" text NOT NULL,
	"path" text NOT NULL,
	"status" integer NOT NULL,
	"ip" text NOT NULL,
	"latency_ms" double precision NOT NULL
);
--> statement-breakpoint
CREATE TABLE "tracking_bots" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"username" text DEFAULT '' NOT NULL,
	"is_active" boolean DEFAULT true NOT NULL,
	"subscription_status" text DEFAULT 'active' NOT NULL,
	"allowed_origins" text[] DEFAULT '{}'::text[] NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "tracking_clients" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"bot_id" bigint NOT NULL,
	"client_code" text NOT NULL,
	"tracking_count" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "tracking_clients_list_idx" UNIQUE("bot_id","id")
);
--> statement-breakpoint
CREATE TABLE "tracking_counters" (
	"bot_id" bigint NOT NULL,
	"kind" text NOT NULL,
	"n" bigint DEFAULT 0 NOT NULL,
	CONSTRAINT "tracking_counters_bot_id_kind_pk" PRIMARY KEY("bot_id","kind")
);
--> statement-breakpoint
CREATE TABLE "tracking_numbers" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"bot_id" bigint NOT NULL,
	"client_id" bigint NOT NULL,
	"tracking_number" text NOT NULL,
	"client_code" text NOT NULL,
	"current_status" text NOT NULL,
	"quantity" integer,
	"weight_kg" numeric(12, 3),
	"price_per_kg_usd" numeric(12, 2),
	"total_cost_usd" numeric(14, 2),
	"note" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "tracking_numbers_list_idx" UNIQUE("bot_id","id")
);
--> statement-breakpoint
CREATE TABLE "tracking_status_history" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"bot_id" bigint NOT NULL,
	"tracking_id" bigint NOT NULL,
	"from_status" text,
	"status" text NOT NULL,
	"source" text NOT NULL,
	"changed_by" text,
	"reason" text,
	"changed_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "tracking_webhook_attempts" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"delivery_id" bigint NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"status_code" integer,
	"error" text,
	"response_body" text,
	"duration_ms" double precision NOT NULL,
	"trigger" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "tracking_webhook_deliveries" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"webhook_id" bigint NOT NULL,
	"bot_id" bigint NOT NULL,
	"event_id" text NOT NULL,
	"event_type" text NOT NULL,
	"body" text NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"last_status_code" integer,
	"last_error" text,
	"next_attempt_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"delivered_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "tracking_webhooks" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"bot_id" bigint NOT NULL,
	"url" text NOT NULL,
	"secret_sealed" text NOT NULL,
	"is_active" boolean DEFAULT true NOT NULL,
	"disabled_reason" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "samba_acts" ADD CONSTRAINT "samba_acts_campaign_uuid_samba_campaigns_uuid_fk" FOREIGN KEY ("campaign_uuid") REFERENCES "public"."samba_campaigns"("uuid") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "samba_brands" ADD CONSTRAINT "samba_brands_contractor_uuid_samba_customers_uuid_fk" FOREIGN KEY ("contractor_uuid") REFERENCES "public"."samba_customers"("uuid") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "samba_campaigns" ADD CONSTRAINT "samba_campaigns_contractor_uuid_samba_customers_uuid_fk" FOREIGN KEY ("contractor_uuid") REFERENCES "public"."samba_customers"("uuid") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "samba_campaigns" ADD CONSTRAINT "samba_campaigns_finaladv_uuid_samba_finaladv_uuid_fk" FOREIGN KEY ("finaladv_uuid") REFERENCES "public"."samba_finaladv"("uuid") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "samba_campaigns" ADD CONSTRAINT "samba_campaigns_contract_uuid_samba_contracts_uuid_fk" FOREIGN KEY ("contract_uuid") REFERENCES "public"."samba_contracts"("uuid") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "samba_campaigns" ADD CONSTRAINT "samba_campaigns_brand_uuid_samba_brands_uuid_fk" FOREIGN KEY ("brand_uuid") REFERENCES "public"."samba_brands"("uuid") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "samba_contracts" ADD CONSTRAINT "samba_contracts_finaladv_uuid_samba_finaladv_uuid_fk" FOREIGN KEY ("finaladv_uuid") REFERENCES "public"."samba_finaladv"("uuid") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "samba_contracts" ADD CONSTRAINT "samba_contracts_contractor_uuid_samba_customers_uuid_fk" FOREIGN KEY ("contractor_uuid") REFERENCES "public"."samba_customers"("uuid") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "samba_invoices" ADD CONSTRAINT "samba_invoices_campaign_uuid_samba_campaigns_uuid_fk" FOREIGN KEY ("campaign_uuid") REFERENCES "public"."samba_campaigns"("uuid") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "samba_payments" ADD CONSTRAINT "samba_payments_invoice_uuid_samba_invoices_uuid_fk" FOREIGN KEY ("invoice_uuid") REFERENCES "public"."samba_invoices"("uuid") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "samba_placements" ADD CONSTRAINT "samba_placements_campaign_uuid_samba_campaigns_uuid_fk" FOREIGN KEY ("campaign_uuid") REFERENCES "public"."samba_campaigns"("uuid") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tracking_api_keys" ADD CONSTRAINT "tracking_api_keys_bot_id_tracking_bots_id_fk" FOREIGN KEY ("bot_id") REFERENCES "public"."tracking_bots"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tracking_clients" ADD CONSTRAINT "tracking_clients_bot_id_tracking_bots_id_fk" FOREIGN KEY ("bot_id") REFERENCES "public"."tracking_bots"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tracking_counters" ADD CONSTRAINT "tracking_counters_bot_id_tracking_bots_id_fk" FOREIGN KEY ("bot_id") REFERENCES "public"."tracking_bots"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tracking_numbers" ADD CONSTRAINT "tracking_numbers_client_fk" FOREIGN KEY ("bot_id","client_id") REFERENCES "public"."tracking_clients"("bot_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tracking_status_history" ADD CONSTRAINT "tracking_status_history_number_fk" FOREIGN KEY ("bot_id","tracking_id") REFERENCES "public"."tracking_numbers"("bot_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tracking_webhook_attempts" ADD CONSTRAINT "tracking_webhook_attempts_delivery_id_tracking_webhook_deliveries_id_fk" FOREIGN KEY ("delivery_id") REFERENCES "public"."tracking_webhook_deliveries"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tracking_webhook_deliveries" ADD CONSTRAINT "tracking_webhook_deliveries_webhook_id_tracking_webhooks_id_fk" FOREIGN KEY ("webhook_id") REFERENCES "public"."tracking_webhooks"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tracking_webhook_deliveries" ADD CONSTRAINT "tracking_webhook_deliveries_bot_id_tracking_bots_id_fk" FOREIGN KEY ("bot_id") REFERENCES "public"."tracking_bots"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tracking_webhooks" ADD CONSTRAINT "tracking_webhooks_bot_id_tracking_bots_id_fk" FOREIGN KEY ("bot_id") REFERENCES "public"."tracking_bots"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "inbox_source_dedupe_uq" ON "inbox_messages" USING btree ("source","dedupe_key");--> statement-breakpoint
CREATE INDEX "inbox_received_idx" ON "inbox_messages" USING btree ("received_at");--> statement-breakpoint
CREATE INDEX "inbox_status_idx" ON "inbox_messages" USING btree ("status","source");--> statement-breakpoint
CREATE INDEX "amo_complex_intents_sent_idx" ON "amo_complex_intents" USING btree ("sent_at");--> statement-breakpoint
CREATE INDEX "amo_oauth_states_expires_idx" ON "amo_oauth_states" USING btree ("expires_at");--> statement-breakpoint
CREATE INDEX "customs_events_lead_idx" ON "customs_events" USING btree ("amo_account_id","lead_id","at");--> statement-breakpoint
CREATE UNIQUE INDEX "customs_events_step_uq" ON "customs_events" USING btree ("inbox_id","step");--> statement-breakpoint
CREATE UNIQUE INDEX "customs_invoices_event_uq" ON "customs_invoices" USING btree ("amo_account_id","event_id");--> statement-breakpoint
CREATE UNIQUE INDEX "customs_invoices_id1c_uq" ON "customs_invoices" USING btree ("amo_account_id","id_1c");--> statement-breakpoint
CREATE INDEX "customs_invoices_lead_idx" ON "customs_invoices" USING btree ("amo_account_id","lead_id");--> statement-breakpoint
CREATE INDEX "customs_ptd_exports_lead_idx" ON "customs_ptd_exports" USING btree ("amo_account_id","lead_id","id");--> statement-breakpoint
CREATE UNIQUE INDEX "customs_tokens_hash_uq" ON "customs_tokens" USING btree ("token_hash");--> statement-breakpoint
CREATE UNIQUE INDEX "onec_sync_handlers_version_uq" ON "onec_sync_handlers" USING btree ("version");--> statement-breakpoint
CREATE INDEX "onec_sync_handlers_scope_idx" ON "onec_sync_handlers" USING btree ("account_key","id_base","version");--> statement-breakpoint
CREATE INDEX "onec_sync_links_amo_idx" ON "onec_sync_links" USING btree ("account_key","entity","amo_id");--> statement-breakpoint
CREATE INDEX "onec_sync_match_keys_entity_idx" ON "onec_sync_match_keys" USING btree ("account_key","entity","amo_id");--> statement-breakpoint
CREATE UNIQUE INDEX "quiz_accounts_live_uq" ON "quiz_accounts" USING btree ("quiz_account_id") WHERE not "quiz_accounts"."deleted";--> statement-breakpoint
CREATE INDEX "quiz_accounts_amo_idx" ON "quiz_accounts" USING btree ("amo_account_id");--> statement-breakpoint
CREATE UNIQUE INDEX "quiz_fields_uq" ON "quiz_fields" USING btree ("amo_account_id","entity_type","amo_id");--> statement-breakpoint
CREATE UNIQUE INDEX "quiz_pipelines_uq" ON "quiz_pipelines" USING btree ("amo_account_id","amo_id");--> statement-breakpoint
CREATE UNIQUE INDEX "quiz_results_uq" ON "quiz_results" USING btree ("quiz_account_id","result_id");--> statement-breakpoint
CREATE INDEX "quiz_results_status_idx" ON "quiz_results" USING btree ("status");--> statement-breakpoint
CREATE UNIQUE INDEX "quiz_rules_uq" ON "quiz_rules" USING btree ("quiz_account_id","quiz_id");--> statement-breakpoint
CREATE UNIQUE INDEX "quiz_steps_uq" ON "quiz_steps" USING btree ("amo_account_id","pipeline_amo_id","amo_id");--> statement-breakpoint
CREATE UNIQUE INDEX "quiz_tags_uq" ON "quiz_tags" USING btree ("amo_account_id","entity","amo_id");--> statement-breakpoint
CREATE UNIQUE INDEX "quiz_users_uq" ON "quiz_users" USING btree ("amo_account_id","amo_id");--> statement-breakpoint
CREATE UNIQUE INDEX "samba_acts_campaign_placement_document_uq" ON "samba_acts" USING btree ("campaign_uuid","placement","document");--> statement-breakpoint
CREATE UNIQUE INDEX "samba_brands_contractor_name_uq" ON "samba_brands" USING btree ("contractor_uuid","name_lc");--> statement-breakpoint
CREATE UNIQUE INDEX "samba_campaigns_rk_id_uq" ON "samba_campaigns" USING btree ("rk_id");--> statement-breakpoint
CREATE UNIQUE INDEX "samba_campaigns_number_mf_uq" ON "samba_campaigns" USING btree ("number_mf");--> statement-breakpoint
CREATE UNIQUE INDEX "samba_contracts_finaladv_number_date_uq" ON "samba_contracts" USING btree ("finaladv_uuid","number","date");--> statement-breakpoint
CREATE UNIQUE INDEX "samba_customers_inn_kpp_uq" ON "samba_customers" USING btree ("inn","kpp");--> statement-breakpoint
CREATE UNIQUE INDEX "samba_finaladv_inn_kpp_uq" ON "samba_finaladv" USING btree ("inn","kpp");--> statement-breakpoint
CREATE UNIQUE INDEX "samba_invoices_number_uq" ON "samba_invoices" USING btree ("number");--> statement-breakpoint
CREATE UNIQUE INDEX "samba_invoices_ext_uq" ON "samba_invoices" USING btree ("ext_number","ext_date") WHERE ext_number <> '';--> statement-breakpoint
CREATE INDEX "samba_invoices_ext_number_idx" ON "samba_invoices" USING btree ("ext_number");--> statement-breakpoint
CREATE INDEX "samba_invoices_campaign_idx" ON "samba_invoices" USING btree ("campaign_uuid");--> statement-breakpoint
CREATE INDEX "samba_invoices_date_idx" ON "samba_invoices" USING btree ("date");--> statement-breakpoint
CREATE INDEX "samba_payments_invoice_idx" ON "samba_payments" USING btree ("invoice_uuid");--> statement-breakpoint
CREATE UNIQUE INDEX "samba_payments_source_key_uq" ON "samba_payments" USING btree ("source_key");--> statement-breakpoint
CREATE UNIQUE INDEX "tracking_api_keys_hash_uq" ON "tracking_api_keys" USING btree ("key_hash");--> statement-breakpoint
CREATE INDEX "tracking_api_keys_bot_idx" ON "tracking_api_keys" USING btree ("bot_id");--> statement-breakpoint
CREATE INDEX "tracking_api_requests_key_idx" ON "tracking_api_requests" USING btree ("key_id","at");--> statement-breakpoint
CREATE UNIQUE INDEX "tracking_clients_code_uq" ON "tracking_clients" USING btree ("bot_id","client_code");--> statement-breakpoint
CREATE UNIQUE INDEX "tracking_numbers_number_uq" ON "tracking_numbers" USING btree ("bot_id","tracking_number");--> statement-breakpoint
CREATE INDEX "tracking_numbers_status_idx" ON "tracking_numbers" USING btree ("bot_id","current_status","id");--> statement-breakpoint
CREATE INDEX "tracking_numbers_client_idx" ON "tracking_numbers" USING btree ("bot_id","client_id","id");--> statement-breakpoint
CREATE INDEX "tracking_numbers_created_idx" ON "tracking_numbers" USING btree ("bot_id","created_at");--> statement-breakpoint
CREATE INDEX "tracking_status_history_tracking_idx" ON "tracking_status_history" USING btree ("tracking_id","id");--> statement-breakpoint
CREATE INDEX "tracking_status_history_day_idx" ON "tracking_status_history" USING btree ("bot_id","changed_at");--> statement-breakpoint
CREATE INDEX "tracking_webhook_attempts_delivery_idx" ON "tracking_webhook_attempts" USING btree ("delivery_id","id");--> statement-breakpoint
CREATE INDEX "tracking_webhook_deliveries_hook_idx" ON "tracking_webhook_deliveries" USING btree ("webhook_id","id");--> statement-breakpoint
CREATE INDEX "tracking_webhooks_bot_idx" ON "tracking_webhooks" USING btree ("bot_id") WHERE "tracking_webhooks"."is_active";