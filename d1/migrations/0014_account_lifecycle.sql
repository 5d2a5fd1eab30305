CREATE TABLE `account_deletions` (
	`account_id` integer PRIMARY KEY NOT NULL,
	`state` text NOT NULL,
	`requested_at` integer NOT NULL,
	`due_at` integer NOT NULL,
	`step` text,
	`cursor` text,
	`cancel_reason` text,
	`finished_at` integer
);
--> statement-breakpoint
CREATE TABLE `data_exports` (
	`account_id` integer PRIMARY KEY NOT NULL,
	`id` text NOT NULL,
	`state` text NOT NULL,
	`requested_at` integer NOT NULL,
	`step` text,
	`cursor` text,
	`chats_done` integer DEFAULT 0 NOT NULL,
	`chats_total` integer DEFAULT 0 NOT NULL,
	`messages` integer DEFAULT 0 NOT NULL,
	`size` integer,
	`finished_at` integer,
	`expires_at` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `data_exports_id_unique` ON `data_exports` (`id`);--> statement-breakpoint
CREATE TABLE `reports` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`reporter_id` integer NOT NULL,
	`target_kind` text NOT NULL,
	`chat_id` integer DEFAULT 0 NOT NULL,
	`message_id` integer DEFAULT 0 NOT NULL,
	`user_id` integer DEFAULT 0 NOT NULL,
	`reason` text NOT NULL,
	`comment` text,
	`snapshot` text,
	`status` text DEFAULT 'open' NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `reports_once` ON `reports` (`reporter_id`,`target_kind`,`chat_id`,`message_id`,`user_id`);--> statement-breakpoint
CREATE INDEX `reports_status` ON `reports` (`status`,`created_at`);--> statement-breakpoint
ALTER TABLE `accounts` ADD `deleted_at` integer;