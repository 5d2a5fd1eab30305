import { fail } from '../../protocol/errors.js';
import { ReplyMarkup } from '../../protocol/keyboards.js';
import type { ChatKind } from '../../protocol/messages.js';
import { one, type SqlStore } from '../sql/store.js';
import { readStoredOr } from '../sql/stored-json.js';
import type { MemberRow } from './state.js';
import { MESSAGE_ENTITIES } from './stored.js';
import { safeParseUntrusted } from '../../protocol/safe-parse.js';

/**
 * Bots in a chat. The method layer says which joining members are bots (and
 * their privacy mode, fixed at join time as in Telegram); the chat keeps
 * that in `bot_members` and uses it to pick who receives each message.
 */
export type BotMember = { user_id: number; username: string; privacy: boolean };

type BotRow = { user_id: number; username: string; privacy: number };

export function saveBotMembers(store: SqlStore, bots: readonly BotMember[] | undefined): void {
  for (const b of bots ?? []) {
    store.exec(
      `INSERT INTO bot_members (user_id, username, privacy) VALUES (?, ?, ?)
       ON CONFLICT (user_id) DO UPDATE SET username = excluded.username, privacy = excluded.privacy`,
      b.user_id,
      b.username,
      b.privacy ? 1 : 0,
    );
  }
}

export function isBotMember(store: SqlStore, userId: number): boolean {
  return one(store, 'SELECT 1 FROM bot_members WHERE user_id = ?', userId) !== undefined;
}

/** A keyboard, checked: only bots attach them (as in Telegram). Returns the JSON to store. */
export function checkedMarkup(store: SqlStore, senderId: number, markup: ReplyMarkup | null | undefined): string | null {
  if (markup === undefined || markup === null) return null;
  if (!isBotMember(store, senderId)) throw fail.forbidden('Only bots attach keyboards to messages');
  const parsed = safeParseUntrusted(ReplyMarkup, markup);
  if (!parsed.success) throw fail.badRequest('Invalid reply_markup');
  return JSON.stringify(parsed.data);
}

/** What privacy mode looks at in a message. */
export type Addressing = { sender_id: number; text: string; entities: string; reply_to_message_id: number | null };

/**
 * Who receives a message, Telegram's way: everyone, except that a bot never
 * sees another bot's messages, and in a group a bot in privacy mode (the
 * default) that is not an admin sees only commands (/cmd, or /cmd@its_name),
 * messages mentioning it, and replies to its own messages. Membership
 * events are not messages and always reach every member.
 */
export function readersOf(store: SqlStore, kind: ChatKind, members: readonly MemberRow[], message: Addressing): number[] {
  const bots = new Map(store.exec<BotRow>('SELECT * FROM bot_members').map((b) => [b.user_id, b]));
  if (bots.size === 0) return members.map((m) => m.user_id);
  const fromBot = bots.has(message.sender_id);
  let repliedSender: number | null | undefined;
  const repliedTo = () =>
    (repliedSender ??=
      message.reply_to_message_id === null
        ? null
        : (one<{ sender_id: number }>(store, 'SELECT sender_id FROM messages WHERE id = ?', message.reply_to_message_id)?.sender_id ??
          null));
  return members
    .filter((m) => {
      const bot = bots.get(m.user_id);
      if (!bot || m.user_id === message.sender_id) return true;
      if (fromBot) return false;
      if (kind === 'private' || m.role !== 'member' || !bot.privacy) return true;
      return addressedTo(bot, message, repliedTo);
    })
    .map((m) => m.user_id);
}

function addressedTo(bot: BotRow, message: Addressing, repliedTo: () => number | null): boolean {
  const name = bot.username.toLowerCase();
  const command = /^\/[A-Za-z0-9_]{1,32}(?:@([A-Za-z0-9_]{3,32}))?(?![A-Za-z0-9_@])/.exec(message.text);
  if (command) return command[1] === undefined || command[1].toLowerCase() === name;
  const mention = new RegExp(`(?:^|[^A-Za-z0-9_@])@${escapeRegExp(name)}(?![A-Za-z0-9_])`, 'i');
  if (mention.test(message.text)) return true;
  // Unreadable (logged): addressed by text, command or reply only.
  const entities = readStoredOr(MESSAGE_ENTITIES, message.entities, [], { bot_id: bot.user_id });
  if (entities.some((e) => e.type === 'text_mention' && e.user_id === bot.user_id)) return true;
  return repliedTo() === bot.user_id;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Who hears of a member's change (`chat_member`): everyone in `recipients`
 * except bots that are plain members, as in Telegram, where only admin bots
 * get `chat_member`; a bot always hears of its own change (`my_chat_member`).
 * Roles are the ones after the change.
 */
export function chatMemberRecipients(
  store: SqlStore,
  members: readonly MemberRow[],
  recipients: readonly number[],
  subjectId: number,
): number[] {
  const bots = new Set(store.exec<{ user_id: number }>('SELECT user_id FROM bot_members').map((b) => b.user_id));
  if (bots.size === 0) return [...recipients];
  const roles = new Map(members.map((m) => [m.user_id, m.role]));
  return recipients.filter((id) => !bots.has(id) || id === subjectId || (roles.get(id) ?? 'member') !== 'member');
}
