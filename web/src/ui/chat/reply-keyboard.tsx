import { signal } from '@preact/signals';
import type { ActiveReplyKeyboard } from '../../lib/reply-markup.js';

/** ForceReply requests already acted on (chat:message) on this device. */
export const answeredForceReplies = signal<ReadonlySet<string>>(new Set());

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
