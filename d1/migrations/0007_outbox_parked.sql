CREATE TABLE `outbox_parked` (
	`chat_id` integer NOT NULL,
	`user_id` integer NOT NULL,
	`parked_at` integer NOT NULL,
	`attempts` integer NOT NULL,
	`oldest_seq` integer,
	`row_count` integer NOT NULL,
	PRIMARY KEY(`chat_id`, `user_id`)
);
