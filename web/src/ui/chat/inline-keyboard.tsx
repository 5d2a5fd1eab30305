import { signal } from '@preact/signals';
import { useState } from 'preact/hooks';
import type { CallbackAnswer, InlineKeyboardButton, InlineKeyboardMarkup } from '../../../../protocol/keyboards.js';
import type { Message } from '../../../../protocol/messages.js';
import { describeError } from '../../lib/errors.js';
import { showToast } from '../../model/toasts.js';
import { useMessenger } from '../context.js';
import { Modal } from '../common/modal.js';
import { Spinner } from '../common/spinner.js';

export function inlineKeyboardOf(message: Message): InlineKeyboardMarkup | null {
  const markup = message.reply_markup;
  return markup && 'inline_keyboard' in markup && markup.inline_keyboard.length > 0 ? markup : null;
}

/** A bot's answer that must be acknowledged (show_alert): one at a time, over the chat. */
const alertText = signal<string | null>(null);

/**
 * A bot's inline buttons under its message. A callback button asks the bot
 * (pressCallbackButton) and shows its answer: a toast, an alert to dismiss,
 * or a link to open. A URL button is a plain link.
 */
export function InlineKeyboard({ message, markup }: { message: Message; markup: InlineKeyboardMarkup }) {
  return (
    <div class="inline-keyboard" role="group" aria-label="Bot buttons">
      {markup.inline_keyboard.map((row, i) => (
        <div key={i} class="inline-keyboard__row">
          {row.map((button, j) => (
            <KeyboardButton key={j} message={message} button={button} />
          ))}
        </div>
      ))}
    </div>
  );
}

function KeyboardButton({ message, button }: { message: Message; button: InlineKeyboardButton }) {
  const { client } = useMessenger();
  const [busy, setBusy] = useState(false);
  if (button.url !== undefined) {
    return (
      <a class="inline-keyboard__button" href={button.url} target="_blank" rel="noopener noreferrer">
        {button.text}
        <span class="visually-hidden"> (opens a link)</span>
      </a>
    );
  }
  async function press() {
    setBusy(true);
    try {
      const { answer } = await client.api.pressCallbackButton({ chat_id: message.chat_id, message_id: message.id, data: button.callback_data! });
      showAnswer(answer);
    } catch (error) {
      showToast(describeError(error));
    } finally {
      setBusy(false);
    }
  }
  return (
    <button type="button" class="inline-keyboard__button" aria-busy={busy} disabled={busy} onClick={() => void press()}>
      {button.text}
      {busy && <Spinner size={14} />}
    </button>
  );
}

/** Null: the bot did not answer in time, which Telegram shows as nothing at all. */
function showAnswer(answer: CallbackAnswer | null): void {
  if (!answer) return;
  if (answer.text) {
    if (answer.show_alert) alertText.value = answer.text;
    else showToast(answer.text);
  }
  if (answer.url && /^https?:\/\//i.test(answer.url)) window.open(answer.url, '_blank', 'noopener,noreferrer');
}

/** The bot's alert, when one is up. */
export function BotAlert() {
  const text = alertText.value;
  if (text === null) return null;
  const close = () => (alertText.value = null);
  return (
    <Modal
      title="Bot says"
      size="sm"
      onClose={close}
      actions={
        <button type="button" class="button button--primary" onClick={close}>
          OK
        </button>
      }
    >
      <p class="bot-alert">{text}</p>
    </Modal>
  );
}
