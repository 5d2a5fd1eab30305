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
CREATE UNIQUE INDEX `data_exports_id_unique` ON `data_exports` (`id`);