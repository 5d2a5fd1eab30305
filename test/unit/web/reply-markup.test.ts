import { describe, expect, it } from 'vitest';
import { Message } from '../../../protocol/messages.js';
import { activeReplyKeyboard, forceReplyPlaceholder, pendingForceReply } from '../../../web/src/lib/reply-markup.js';

const ME = 7;
const BOT = 9;
function message(id: number, sender: number, extra: Record<string, unknown> = {}): Message {
  // Parsed, so fields with defaults get them as they do on the wire.
  return Message.parse({ chat_id: 1, id, sender_id: sender, date: id * 1000, text: `m${id}`, entities: [], reply_to_message_id: null, fwd_from: null, edit_date: null, ...extra });
}
const forceReply = (extra: Record<string, unknown> = {}) => ({ reply_markup: { force_reply: true, ...extra } });

describe('reply keyboards', () => {
  it('the newest keyboard or removal wins, and a used one-time keyboard is gone', () => {
    const shown = message(2, BOT, { reply_markup: { keyboard: [[{ text: 'A' }]], one_time_keyboard: true } });
    expect(activeReplyKeyboard([message(1, BOT), shown, message(3, ME)], ME, new Set())?.messageId).toBe(2);
    expect(activeReplyKeyboard([shown, message(3, BOT, { reply_markup: { remove_keyboard: true } })], ME, new Set())).toBeNull();
    expect(activeReplyKeyboard([shown], ME, new Set(['1:2']))).toBeNull();
  });
});

describe('ForceReply', () => {
  it('asks for a reply when the newest message is a bot’s ForceReply not yet acted on', () => {
    const ask = message(2, BOT, forceReply({ input_field_placeholder: 'Your age' }));
    expect(pendingForceReply([message(1, ME), ask], ME, new Set())?.id).toBe(2);
    expect(forceReplyPlaceholder(ask)).toBe('Your age');
  });

  it('asks nothing once acted on, once someone wrote after it, or for one’s own messages', () => {
    const ask = message(2, BOT, forceReply());
    expect(pendingForceReply([ask], ME, new Set(['1:2']))).toBeNull();
    expect(pendingForceReply([ask, message(3, ME)], ME, new Set())).toBeNull();
    expect(pendingForceReply([message(2, ME, forceReply())], ME, new Set())).toBeNull();
    expect(forceReplyPlaceholder(message(4, BOT))).toBeUndefined();
  });

  it('with selective, asks only the person whose message the bot answered', () => {
    const mine = message(1, ME);
    const theirs = message(2, 8);
    expect(pendingForceReply([mine, theirs, message(3, BOT, { reply_to_message_id: 1, ...forceReply({ selective: true }) })], ME, new Set())?.id).toBe(3);
    expect(pendingForceReply([mine, theirs, message(3, BOT, { reply_to_message_id: 2, ...forceReply({ selective: true }) })], ME, new Set())).toBeNull();
  });
});
