import { signal } from '@preact/signals';
import type { ReplyKeyboardMarkup } from '../../../../protocol/keyboards.js';
import type { Message } from '../../../../protocol/messages.js';

export interface ActiveReplyKeyboard {
  /** The bot's message that showed it. */
  messageId: number;
  markup: ReplyKeyboardMarkup;
}

/**
 * The reply keyboard in force in a chat: the one from the newest message
 * that shows or removes one (a later removal, or a later keyboard, wins),
 * unless it was a one-time keyboard already used here.
 */
export function activeReplyKeyboard(messages: readonly Message[], me: number, used: ReadonlySet<string>): ActiveReplyKeyboard | null {
  for (let i = messages.length - 1; i >= 0; i--) {
    const m = messages[i]!;
    const markup = m.reply_markup;
    if (m.sender_id === me || !markup) continue;
    if ('remove_keyboard' in markup) return null;
    if ('keyboard' in markup) {
      if (markup.one_time_keyboard && used.has(`${m.chat_id}:${m.id}`)) return null;
      return { messageId: m.id, markup };
    }
  }
  return null;
}

/** One-time keyboards used on this device (chat:message), and keyboards the user folded away. */
export const usedKeyboards = signal<ReadonlySet<string>>(new Set());
export const foldedKeyboards = signal<ReadonlySet<string>>(new Set());

export function toggleIn(set: typeof foldedKeyboards, key: string, on: boolean): void {
  const next = new Set(set.peek());
  if (on) next.add(key);
  else next.delete(key);
  set.value = next;
}

/**
 * The bot's buttons in place of the keyboard, under the composer: each sends
 * its text as the user's message. A one-time keyboard folds away after use.
 */
export function ReplyKeyboardPanel({ chatId, keyboard, onSend }: { chatId: number; keyboard: ActiveReplyKeyboard; onSend: (text: string) => void }) {
  const key = `${chatId}:${keyboard.messageId}`;
  return (
    <div class="reply-keyboard" role="group" aria-label="Bot keyboard">
      {keyboard.markup.keyboard.map((row, i) => (
        <div key={i} class="reply-keyboard__row">
          {row.map((button, j) => (
            <button
              key={j}
              type="button"
              class="reply-keyboard__button"
              onClick={() => {
                if (keyboard.markup.one_time_keyboard) toggleIn(usedKeyboards, key, true);
                onSend(button.text);
              }}
            >
              {button.text}
            </button>
          ))}
        </div>
      ))}
    </div>
  );
}
