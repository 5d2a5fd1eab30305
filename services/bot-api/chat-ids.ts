import type { ChatKind } from '../../protocol/messages.js';

/**
 * Chat ids as the Bot API spells them, Telegram's way, so that libraries
 * which read the form (grammY, Telegraf and node-telegram-bot-api tell a
 * supergroup or channel by its "-100" prefix) work unchanged:
 *
 * - a private chat: the other user's id (positive);
 * - a basic group: its chat id negated, `-<id>`;
 * - a supergroup or channel: `-100<id>`, i.e. -(1_000_000_000_000 + id).
 *
 * Edgegram's chat ids are one sequence (D1's `chats`), far below 10^12, so
 * the forms never collide.
 */

/** Telegram's offset for supergroup and channel ids: -100<id> is -(LARGE_CHAT_ID_OFFSET + id). */
export const LARGE_CHAT_ID_OFFSET = 1_000_000_000_000;

/** The id a bot sees for a group, supergroup or channel. */
export function botIdOfChat(kind: ChatKind, chatId: number): number {
  return kind === 'supergroup' || kind === 'channel' ? -(LARGE_CHAT_ID_OFFSET + chatId) : -chatId;
}

/** A supergroup's Bot API id (the target of a migration is always one). */
export const botIdOfSupergroup = (chatId: number) => botIdOfChat('supergroup', chatId);

/** What a negative Bot API chat id names: the Edgegram chat, and whether it was written in the large-chat form. */
export type NamedChat = { chatId: number; largeForm: boolean };

/**
 * A negative Bot API id read back: `-100<id>` names a large chat, any other
 * negative id a basic group. The plain `-<id>` of a supergroup or channel is
 * also accepted (the caller checks the kind): it is what bots were shown
 * before supergroups had Telegram's form, and ids cannot collide.
 */
export function chatNamedBy(botChatId: number): NamedChat {
  const id = -botChatId;
  return id > LARGE_CHAT_ID_OFFSET ? { chatId: id - LARGE_CHAT_ID_OFFSET, largeForm: true } : { chatId: id, largeForm: false };
}
