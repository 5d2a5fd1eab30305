CREATE TABLE `chat_usernames` (
	`username_key` text PRIMARY KEY NOT NULL,
	`username` text NOT NULL,
	`chat_id` integer NOT NULL,
	`claimed_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `chat_usernames_chat_id_unique` ON `chat_usernames` (`chat_id`);--> statement-breakpoint
-- One namespace for people, bots and public chats: a name one holds cannot be taken by the other.
-- On accounts, RAISE(IGNORE) drops the write without an error, so every path that already reads
-- "no row written" as USERNAME_TAKEN (sign-up, profile changes, new bots) stays right. On
-- chat_usernames it fails the statement as the unique key would, rolling back the batch that
-- swaps a chat's old name for the new one (d1/queries/chat-usernames.ts).
CREATE TRIGGER `accounts_username_not_a_chat_on_insert` BEFORE INSERT ON `accounts`
WHEN EXISTS (SELECT 1 FROM `chat_usernames` WHERE `username_key` = NEW.`username_key`)
BEGIN SELECT RAISE(IGNORE); END;
--> statement-breakpoint
CREATE TRIGGER `accounts_username_not_a_chat_on_update` BEFORE UPDATE OF `username_key` ON `accounts`
WHEN NEW.`username_key` <> OLD.`username_key` AND EXISTS (SELECT 1 FROM `chat_usernames` WHERE `username_key` = NEW.`username_key`)
BEGIN SELECT RAISE(IGNORE); END;
--> statement-breakpoint
CREATE TRIGGER `chat_usernames_not_an_account` BEFORE INSERT ON `chat_usernames`
WHEN EXISTS (SELECT 1 FROM `accounts` WHERE `username_key` = NEW.`username_key`)
BEGIN SELECT RAISE(ABORT, 'UNIQUE constraint failed: chat_usernames.username_key (an account holds it)'); END;
