CREATE TABLE `bots` (
	`account_id` integer PRIMARY KEY NOT NULL,
	`owner_id` integer NOT NULL,
	`token_hash` text NOT NULL,
	`commands` text DEFAULT '{}' NOT NULL,
	`privacy_mode` integer DEFAULT true NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `bots_owner` ON `bots` (`owner_id`);--> statement-breakpoint
-- The built-in @BotFather: a bot account with no token, whose mailbox runs the
-- bot-management conversation server-side (durable-objects/bots/botfather.ts).
INSERT OR IGNORE INTO `accounts` (`username`, `username_key`, `display_name`, `password_hash`, `is_bot`, `created_at`)
VALUES ('BotFather', 'botfather', 'BotFather', NULL, 1, CAST(strftime('%s', 'now') AS INTEGER) * 1000);
