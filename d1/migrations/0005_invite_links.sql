CREATE TABLE `invite_links` (
	`token_hash` text PRIMARY KEY NOT NULL,
	`chat_id` integer NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `invite_links_chat` ON `invite_links` (`chat_id`);