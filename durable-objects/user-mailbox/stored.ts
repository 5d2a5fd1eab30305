import { z } from 'zod';
import { Chat, Message } from '../../protocol/messages.js';
import { Update } from '../../protocol/updates.js';
import type { StoredShape } from '../sql/stored-json.js';

/**
 * The JSON columns of a mailbox's storage and how each is read back (see
 * sql/stored-json.ts). The update log's bodies carry a version
 * (`updates.v`): each is one whole Update written once, and getDifference
 * replays them long after. Dialog columns are protocol objects rewritten
 * piecemeal (the top message by itself, in SQL), so they follow the
 * protocol's rule instead: fields are only ever added, with defaults.
 */
export const LOG_BODY: StoredShape<typeof Update> = { name: 'updates.body', schema: Update, current: 1 };
export const DIALOG_CHAT: StoredShape<typeof Chat> = { name: 'dialogs.chat', schema: Chat, current: 1 };
export const DIALOG_TOP_MESSAGE: StoredShape<typeof Message> = { name: 'dialogs.top_message', schema: Message, current: 1 };
/** Checked against the known kinds when written; read as names, unknown ones ignored by the reader. */
export const ALLOWED_UPDATES = { name: 'bot_queue.allowed_updates', schema: z.array(z.string()), current: 1 } satisfies StoredShape<z.ZodType>;
