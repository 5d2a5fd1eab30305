CREATE TABLE `profile_photos` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`account_id` integer NOT NULL,
	`big_file_id` text NOT NULL,
	`big_size` integer NOT NULL,
	`big_mime` text NOT NULL,
	`small_file_id` text NOT NULL,
	`small_size` integer NOT NULL,
	`small_mime` text NOT NULL,
	`width` integer,
	`height` integer,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `profile_photos_account` ON `profile_photos` (`account_id`,`id`);