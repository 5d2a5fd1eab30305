import { z } from 'zod';
import { IndexChangeSchema } from '../../d1/queries/index-changes.js';
import { ReplyMarkup } from '../../protocol/keyboards.js';
import { ChatPhoto, MessageMedia } from '../../protocol/media.js';
import { Entity, ForwardOrigin } from '../../protocol/messages.js';
import { Update } from '../../protocol/updates.js';
import { AdminLogDetails } from '../../protocol/admin-log.js';
import type { StoredShape } from '../sql/stored-json.js';
import { ChatEvent } from '../user-mailbox/delivery.js';

/**
 * The JSON columns of a ChatRoom's storage and how each is read back (see
 * sql/stored-json.ts). Only outbox bodies carry a version (`outbox.v`): a
 * whole event written in one statement. Message columns are protocol
 * objects written piecemeal (an edit rewrites entities and keyboard only),
 * so they follow the protocol's own rule: fields are only ever added, with
 * defaults (as Message.media and Chat.member_count were).
 */
export const OUTBOX_BODY: StoredShape<typeof ChatEvent> = { name: 'outbox.body', schema: ChatEvent, current: 1 };
/** Who an outbox event is for (written with it, never rewritten). */
export const OUTBOX_RECIPIENTS = {
  name: 'outbox_events.recipients',
  schema: z.array(z.number().int().positive()),
  current: 1,
} satisfies StoredShape<z.ZodType>;
export const INDEX_OUTBOX_BODY: StoredShape<typeof IndexChangeSchema> = {
  name: 'index_outbox.body',
  schema: IndexChangeSchema,
  current: 1,
};
// Stored entities were checked once at send time; the count limit is a send rule, not a reading one.
export const MESSAGE_ENTITIES = { name: 'messages.entities', schema: z.array(Entity), current: 1 } satisfies StoredShape<z.ZodType>;
export const MESSAGE_FWD_FROM = { name: 'messages.fwd_from', schema: ForwardOrigin, current: 1 } satisfies StoredShape<z.ZodType>;
export const MESSAGE_REPLY_MARKUP = {
  name: 'messages.reply_markup',
  schema: ReplyMarkup,
  current: 1,
} satisfies StoredShape<z.ZodType>;
export const MESSAGE_MEDIA = { name: 'messages.media', schema: MessageMedia, current: 1 } satisfies StoredShape<z.ZodType>;
/** A large chat's log entry (large.ts): the update every member sees, written whole, once. */
export const CHAT_LOG_BODY: StoredShape<typeof Update> = { name: 'chat_log.body', schema: Update, current: 1 };
/** What an admin-log entry changed (admin-log.ts), written once with it. */
export const ADMIN_LOG_DETAILS: StoredShape<typeof AdminLogDetails> = { name: 'admin_log.details', schema: AdminLogDetails, current: 1 };
/** The chat's picture (photo.ts), written whole by setPhoto. */
export const CHAT_PHOTO = { name: 'chat.photo', schema: ChatPhoto, current: 1 } satisfies StoredShape<z.ZodType>;
