CREATE TABLE `blocks` (
	`owner_id` integer NOT NULL,
	`blocked_id` integer NOT NULL,
	`blocked_at` integer NOT NULL,
	PRIMARY KEY(`owner_id`, `blocked_id`)
);
--> statement-breakpoint
CREATE INDEX `blocks_by_blocked` ON `blocks` (`blocked_id`);--> statement-breakpoint
CREATE TABLE `contacts` (
	`owner_id` integer NOT NULL,
	`contact_id` integer NOT NULL,
	`first_name` text NOT NULL,
	`last_name` text,
	`added_at` integer NOT NULL,
	PRIMARY KEY(`owner_id`, `contact_id`)
);
--> statement-breakpoint
CREATE INDEX `contacts_by_contact` ON `contacts` (`contact_id`);