CREATE TABLE `privacy_rules` (
	`account_id` integer NOT NULL,
	`key` text NOT NULL,
	`value` text NOT NULL,
	`allow_user_ids` text DEFAULT '[]' NOT NULL,
	`disallow_user_ids` text DEFAULT '[]' NOT NULL,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`account_id`, `key`)
);
