import { describe, expect, test } from 'vitest';
import type { BotApiMessage, BotApiUpdate } from '../../protocol/bot-api/types.js';
import type { Message } from '../../protocol/messages.js';
import { signup } from './helpers.js';
import { botFails, botOk, call, callError, delivered, newBot, takeMessages, updates, userWrites } from './bot-api-helpers.js';

/** A bot with a user who started it: the private chat exists. */
async function started() {
  const b = await newBot();
  const user = await signup({ displayName: 'Uma' });
  const hello = await userWrites(user, b.id, '/start');
  await takeMessages(b.token);
  return { b, user, chatId: hello.chat_id };
}

/** The message as the user's account sees it (history, newest last). */
async function lastSeenByUser(user: Awaited<ReturnType<typeof signup>>, chatId: number): Promise<Message> {
  const { messages } = await call(user, 'getHistory', { chat_id: chatId });
  return messages[messages.length - 1]!;
}

describe('sendMessage', () => {
  test('parse_mode HTML becomes entities with UTF-16 offsets', async () => {
    const { b, user, chatId } = await started();
    const sent = await botOk<BotApiMessage>(b.token, 'sendMessage', {
      chat_id: user.user.id,
      text: '😀 <b>bold</b> <i>it</i> <a href="https://example.com/x">link</a> <code>c</code> &lt;ok&gt;',
      parse_mode: 'HTML',
    });
    expect(sent.text).toBe('😀 bold it link c <ok>');
    expect(sent.entities).toEqual([
      { type: 'bold', offset: 3, length: 4 },
      { type: 'italic', offset: 8, length: 2 },
      { type: 'text_link', offset: 11, length: 4, url: 'https://example.com/x' },
      { type: 'code', offset: 16, length: 1 },
    ]);
    await delivered(chatId);
    const seen = await lastSeenByUser(user, chatId);
    expect(seen.entities.map((e) => [e.type, e.offset, e.length])).toEqual([
      ['bold', 3, 4],
      ['italic', 8, 2],
      ['text_link', 11, 4],
      ['code', 16, 1],
    ]);
  });

  test('parse_mode MarkdownV2 becomes entities; an unescaped reserved character is Telegram’s error', async () => {
    const { b, user } = await started();
    const sent = await botOk<BotApiMessage>(b.token, 'sendMessage', {
      chat_id: user.user.id,
      text: '*bold* _it_ __under__ ~gone~ `x` [𝕃ink](https://example.com) 1\\.5',
      parse_mode: 'MarkdownV2',
    });
    expect(sent.text).toBe('bold it under gone x 𝕃ink 1.5');
    expect(sent.entities).toEqual([
      { type: 'bold', offset: 0, length: 4 },
      { type: 'italic', offset: 5, length: 2 },
      { type: 'underline', offset: 8, length: 5 },
      { type: 'strikethrough', offset: 14, length: 4 },
      { type: 'code', offset: 19, length: 1 },
      { type: 'text_link', offset: 21, length: 5, url: 'https://example.com' },
    ]);
    const bad = await botFails(b.token, 'sendMessage', { chat_id: user.user.id, text: 'v1.5', parse_mode: 'MarkdownV2' });
    expect(bad).toEqual({
      ok: false,
      error_code: 400,
      description: "Bad Request: can't parse entities: Character '.' is reserved and must be escaped with the preceding '\\'",
    });
    const open = await botFails(b.token, 'sendMessage', { chat_id: user.user.id, text: 'é *bold', parse_mode: 'MarkdownV2' });
    expect(open.description).toBe("Bad Request: can't parse entities: Can't find end of the entity starting at byte offset 3");
  });

  test('Telegram-shaped errors: missing text, unknown chat, a user who never wrote, bad keyboard', async () => {
    const { b, user } = await started();
    expect(await botFails(b.token, 'sendMessage', { chat_id: user.user.id })).toMatchObject({
      error_code: 400,
      description: 'Bad Request: message text is empty',
    });
    expect(await botFails(b.token, 'sendMessage', { text: 'x' })).toMatchObject({ description: 'Bad Request: chat_id is empty' });
    expect(await botFails(b.token, 'sendMessage', { chat_id: 987654321, text: 'x' })).toMatchObject({
      error_code: 400,
      description: 'Bad Request: chat not found',
    });
    const stranger = await signup();
    expect(await botFails(b.token, 'sendMessage', { chat_id: stranger.user.id, text: 'spam' })).toMatchObject({
      error_code: 403,
      description: "Forbidden: bot can't initiate conversation with a user",
    });
    expect(
      await botFails(b.token, 'sendMessage', { chat_id: user.user.id, text: 'x', reply_markup: '{"inline_keyboard": 5' }),
    ).toMatchObject({ description: "Bad Request: can't parse reply keyboard markup JSON object" });
    expect(
      await botFails(b.token, 'sendMessage', { chat_id: user.user.id, text: 'x', reply_markup: { inline_keyboard: [[{ text: 'no action' }]] } }),
    ).toMatchObject({ description: "Bad Request: can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard" });
  });

  test('replies: reply_parameters names the message; a missing one fails unless allowed', async () => {
    const { b, user, chatId } = await started();
    const asked = await userWrites(user, b.id, 'question?');
    await takeMessages(b.token);
    const answer = await botOk<BotApiMessage>(b.token, 'sendMessage', {
      chat_id: user.user.id,
      text: 'answer',
      reply_parameters: { message_id: asked.id },
      link_preview_options: { is_disabled: true },
    });
    expect(answer.reply_to_message).toMatchObject({ message_id: asked.id, text: 'question?' });
    expect(await botFails(b.token, 'sendMessage', { chat_id: user.user.id, text: 'x', reply_to_message_id: 9999 })).toMatchObject({
      description: 'Bad Request: message to be replied not found',
    });
    const loose = await botOk<BotApiMessage>(b.token, 'sendMessage', {
      chat_id: user.user.id,
      text: 'anyway',
      reply_parameters: { message_id: 9999, allow_sending_without_reply: true },
    });
    expect(loose.reply_to_message).toBeUndefined();
    await delivered(chatId);
    expect((await lastSeenByUser(user, chatId)).text).toBe('anyway');
  });

  test('a reply keyboard is delivered to the user and can be removed', async () => {
    const { b, user, chatId } = await started();
    await botOk(b.token, 'sendMessage', {
      chat_id: user.user.id,
      text: 'pick',
      reply_markup: { keyboard: [['Yes', { text: 'No', request_contact: false }]], resize_keyboard: true, one_time_keyboard: true },
    });
    await delivered(chatId);
    expect((await lastSeenByUser(user, chatId)).reply_markup).toEqual({
      keyboard: [[{ text: 'Yes' }, { text: 'No' }]],
      resize_keyboard: true,
      one_time_keyboard: true,
    });
    await botOk(b.token, 'sendMessage', { chat_id: user.user.id, text: 'thanks', reply_markup: { remove_keyboard: true } });
    await delivered(chatId);
    expect((await lastSeenByUser(user, chatId)).reply_markup).toEqual({ remove_keyboard: true });
  });
});

describe('inline keyboards and callback queries', () => {
  test('a user presses a callback button; the bot gets callback_query and its answer reaches the user', async () => {
    const { b, user, chatId } = await started();
    const sent = await botOk<BotApiMessage>(b.token, 'sendMessage', {
      chat_id: user.user.id,
      text: 'Vote',
      reply_markup: { inline_keyboard: [[{ text: '👍', callback_data: 'up' }, { text: 'Site', url: 'https://example.com' }]] },
    });
    await delivered(chatId);
    const press = call(user, 'pressCallbackButton', { chat_id: chatId, message_id: sent.message_id, data: 'up' });
    let query: BotApiUpdate['callback_query'];
    for (let i = 0; i < 50 && !query; i++) {
      query = (await updates(b.token)).find((u) => u.callback_query)?.callback_query;
      if (!query) await new Promise((r) => setTimeout(r, 50));
    }
    expect(query).toMatchObject({
      from: { id: user.user.id, first_name: 'Uma' },
      data: 'up',
      chat_instance: String(chatId),
      message: { message_id: sent.message_id, text: 'Vote', chat: { id: user.user.id, type: 'private' } },
    });
    expect(await botOk(b.token, 'answerCallbackQuery', { callback_query_id: query!.id, text: 'Counted!', show_alert: true })).toBe(true);
    expect(await press).toEqual({ answer: { text: 'Counted!', show_alert: true } });
    // A second answer to the same query is refused, as Telegram refuses it.
    expect(await botFails(b.token, 'answerCallbackQuery', { callback_query_id: query!.id })).toMatchObject({
      description: 'Bad Request: query is too old and response timeout expired or query ID is invalid',
    });
  });

  test('pressing a button the message does not have is refused', async () => {
    const { b, user, chatId } = await started();
    const sent = await botOk<BotApiMessage>(b.token, 'sendMessage', {
      chat_id: user.user.id,
      text: 'Vote',
      reply_markup: { inline_keyboard: [[{ text: 'A', callback_data: 'a' }]] },
    });
    await delivered(chatId);
    expect(await callError(user, 'pressCallbackButton', { chat_id: chatId, message_id: sent.message_id, data: 'b' })).toBe('BAD_REQUEST');
    const outsider = await signup();
    expect(await callError(outsider, 'pressCallbackButton', { chat_id: chatId, message_id: sent.message_id, data: 'a' })).toBe('NOT_FOUND');
  });

  test('editMessageReplyMarkup replaces the keyboard; editMessageText without one removes it', async () => {
    const { b, user, chatId } = await started();
    const sent = await botOk<BotApiMessage>(b.token, 'sendMessage', {
      chat_id: user.user.id,
      text: 'menu',
      reply_markup: { inline_keyboard: [[{ text: 'A', callback_data: 'a' }]] },
    });
    const swapped = await botOk<BotApiMessage>(b.token, 'editMessageReplyMarkup', {
      chat_id: user.user.id,
      message_id: sent.message_id,
      reply_markup: { inline_keyboard: [[{ text: 'B', callback_data: 'b' }]] },
    });
    expect(swapped.reply_markup).toEqual({ inline_keyboard: [[{ text: 'B', callback_data: 'b' }]] });
    expect(swapped.edit_date).toBeUndefined();
    const edited = await botOk<BotApiMessage>(b.token, 'editMessageText', {
      chat_id: user.user.id,
      message_id: sent.message_id,
      text: '<b>menu</b> closed',
      parse_mode: 'HTML',
    });
    expect(edited).toMatchObject({ text: 'menu closed', entities: [{ type: 'bold', offset: 0, length: 4 }] });
    expect(edited.edit_date).toBeGreaterThan(0);
    expect(edited.reply_markup).toBeUndefined();
    await delivered(chatId);
    const seen = await lastSeenByUser(user, chatId);
    expect(seen).toMatchObject({ text: 'menu closed' });
    expect(seen.reply_markup).toBeUndefined();
    expect(
      await botFails(b.token, 'editMessageText', { chat_id: user.user.id, message_id: sent.message_id, text: '<b>menu</b> closed', parse_mode: 'HTML' }),
    ).toMatchObject({ description: expect.stringMatching(/^Bad Request: message is not modified/) });
    const theirs = await userWrites(user, b.id, 'mine');
    expect(await botFails(b.token, 'editMessageText', { chat_id: user.user.id, message_id: theirs.id, text: 'x' })).toMatchObject({
      description: "Bad Request: message can't be edited",
    });
    expect(await botFails(b.token, 'editMessageText', { chat_id: user.user.id, message_id: 999, text: 'x' })).toMatchObject({
      description: 'Bad Request: message to edit not found',
    });
  });
});

describe('forward, copy, delete, chat action', () => {
  test('forwardMessage keeps the origin; copyMessage answers a MessageId and can replace the caption', async () => {
    const { b, user, chatId } = await started();
    const other = await signup({ displayName: 'Otto' });
    const otherChat = (await userWrites(other, b.id, 'hi')).chat_id;
    const original = await userWrites(user, b.id, 'forward me');
    const fwd = await botOk<BotApiMessage>(b.token, 'forwardMessage', {
      chat_id: other.user.id,
      from_chat_id: user.user.id,
      message_id: original.id,
    });
    expect(fwd).toMatchObject({ text: 'forward me', forward_origin: { type: 'user', sender_user: { id: user.user.id } } });
    const copy = await botOk<{ message_id: number }>(b.token, 'copyMessage', {
      chat_id: other.user.id,
      from_chat_id: user.user.id,
      message_id: original.id,
    });
    expect(copy).toEqual({ message_id: fwd.message_id + 1 });
    await delivered(otherChat);
    const seen = await lastSeenByUser(other, otherChat);
    expect(seen).toMatchObject({ text: 'forward me', fwd_from: null, sender_id: b.id });
    expect(await botFails(b.token, 'forwardMessage', { chat_id: other.user.id, from_chat_id: user.user.id, message_id: 999 })).toMatchObject({
      description: 'Bad Request: message to forward not found',
    });
    void chatId;
  });

  test('deleteMessage deletes the bot’s own message; others’ in a private chat and unknown ids are Telegram’s errors', async () => {
    const { b, user, chatId } = await started();
    const sent = await botOk<BotApiMessage>(b.token, 'sendMessage', { chat_id: user.user.id, text: 'oops' });
    expect(await botOk(b.token, 'deleteMessage', { chat_id: user.user.id, message_id: sent.message_id })).toBe(true);
    expect(await botFails(b.token, 'deleteMessage', { chat_id: user.user.id, message_id: sent.message_id })).toMatchObject({
      description: 'Bad Request: message to delete not found',
    });
    const theirs = await userWrites(user, b.id, 'keep');
    expect(await botFails(b.token, 'deleteMessage', { chat_id: user.user.id, message_id: theirs.id })).toMatchObject({
      description: "Bad Request: message can't be deleted",
    });
    await delivered(chatId);
    const { messages } = await call(user, 'getHistory', { chat_id: chatId });
    expect(messages.map((m) => m.text)).not.toContain('oops');
  });

  test('sendChatAction shows typing and answers true, even when repeated at once', async () => {
    const { b, user } = await started();
    expect(await botOk(b.token, 'sendChatAction', { chat_id: user.user.id, action: 'typing' })).toBe(true);
    expect(await botOk(b.token, 'sendChatAction', { chat_id: user.user.id, action: 'upload_document' })).toBe(true);
    expect(await botFails(b.token, 'sendChatAction', { chat_id: user.user.id, action: 'dancing' })).toMatchObject({
      description: 'Bad Request: wrong parameter action in request',
    });
  });
});
