ALTER TABLE `file_owners` ADD `held_until` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
-- Uploads made before this migration keep the day they were promised (the old
-- grace period): each uploader holds its file for 24 h from its upload.
UPDATE `file_owners` SET `held_until` = `created_at` + 86400000;
