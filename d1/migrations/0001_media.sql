CREATE TABLE `file_owners` (
	`file_id` text NOT NULL,
	`account_id` integer NOT NULL,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`file_id`, `account_id`)
);
--> statement-breakpoint
CREATE TABLE `file_refs` (
	`file_id` text NOT NULL,
	`chat_id` integer NOT NULL,
	`message_id` integer NOT NULL,
	PRIMARY KEY(`file_id`, `chat_id`, `message_id`)
);
--> statement-breakpoint
CREATE INDEX `file_refs_chat` ON `file_refs` (`chat_id`);--> statement-breakpoint
CREATE TABLE `file_trash` (
	`r2_key` text PRIMARY KEY NOT NULL,
	`queued_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `files` (
	`id` text PRIMARY KEY NOT NULL,
	`content_key` text NOT NULL,
	`r2_key` text NOT NULL,
	`size` integer NOT NULL,
	`mime` text NOT NULL,
	`created_at` integer NOT NULL,
	`touched_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `files_content_key` ON `files` (`content_key`);--> statement-breakpoint
CREATE INDEX `files_touched` ON `files` (`touched_at`);--> statement-breakpoint
CREATE TABLE `server_secrets` (
	`id` text PRIMARY KEY NOT NULL,
	`purpose` text NOT NULL,
	`secret` text NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `server_secrets_purpose` ON `server_secrets` (`purpose`,`created_at`);--> statement-breakpoint
CREATE TABLE `upload_parts` (
	`upload_id` text NOT NULL,
	`part_number` integer NOT NULL,
	`etag` text NOT NULL,
	`size` integer NOT NULL,
	`sha256` text NOT NULL,
	`uploaded_at` integer NOT NULL,
	PRIMARY KEY(`upload_id`, `part_number`)
);
--> statement-breakpoint
CREATE TABLE `uploads` (
	`id` text PRIMARY KEY NOT NULL,
	`account_id` integer NOT NULL,
	`size` integer NOT NULL,
	`part_size` integer NOT NULL,
	`part_count` integer NOT NULL,
	`mode` text NOT NULL,
	`file_name` text,
	`declared_mime` text,
	`file_id` text NOT NULL,
	`r2_key` text NOT NULL,
	`r2_upload_id` text,
	`state` text NOT NULL,
	`result_file_id` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`expires_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `uploads_state_expiry` ON `uploads` (`state`,`expires_at`);--> statement-breakpoint
CREATE INDEX `uploads_account` ON `uploads` (`account_id`);