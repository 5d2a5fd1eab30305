import type { Message } from '../../../../protocol/messages.js';
import { MAX_REACTIONS_PER_USER, type Reaction } from '../../../../protocol/reactions.js';
import { describeError } from '../../lib/errors.js';
import type { Messenger } from '../../model/messenger.js';
import { showToast } from '../../model/toasts.js';
import { useMessenger } from '../context.js';

/** The reactions offered at the top of a message's menu, as Telegram's quick row. */
const QUICK_REACTIONS: readonly Reaction[] = ['👍', '❤', '🔥', '🎉', '😁', '😢', '🙏'];

/**
 * Adds or takes back one of this account's reactions. Beyond the limit the
 * oldest choice makes room; the server's answer (the counts as this account
 * sees them) is shown at once, before the update comes through sync.
 */
function toggleReaction(messenger: Messenger, message: Message, emoji: Reaction): void {
  const chosen = message.reactions?.chosen ?? [];
  const next = chosen.includes(emoji) ? chosen.filter((e) => e !== emoji) : [...chosen, emoji].slice(-MAX_REACTIONS_PER_USER);
  messenger.client.api.sendReaction({ chat_id: message.chat_id, message_id: message.id, reaction: next }).then(
    ({ reactions }) => messenger.histories.forChat(message.chat_id).forEach((h) => h.setReactions(message.id, reactions)),
    (error: unknown) => showToast(describeError(error)),
  );
}

/** The counts under a message; each is a toggle for this account's own reaction. */
export function ReactionChips({ message }: { message: Message }) {
  const messenger = useMessenger();
  const reactions = message.reactions;
  if (!reactions || reactions.results.length === 0) return null;
  return (
    <div class="reactions" role="group" aria-label="Reactions">
      {reactions.results.map(({ emoji, count }) => {
        const mine = reactions.chosen.includes(emoji);
        return (
          <button
            key={emoji}
            type="button"
            class={`reaction${mine ? ' reaction--mine' : ''}`}
            aria-pressed={mine}
            aria-label={`${emoji} ${count}`}
            title={mine ? 'Take back your reaction' : 'React the same'}
            onClick={() => toggleReaction(messenger, message, emoji)}
          >
            <span aria-hidden="true">{emoji}</span>
            <span class="reaction__count" aria-hidden="true">
              {count}
            </span>
          </button>
        );
      })}
    </div>
  );
}

/** The row of quick reactions heading a message's menu. */
export function ReactionStrip({ message, onDone }: { message: Message; onDone: () => void }) {
  const messenger = useMessenger();
  const chosen = message.reactions?.chosen ?? [];
  return (
    <div class="reaction-strip">
      {QUICK_REACTIONS.map((emoji) => (
        <button
          key={emoji}
          type="button"
          role="menuitem"
          class={`reaction-strip__button${chosen.includes(emoji) ? ' reaction-strip__button--chosen' : ''}`}
          aria-label={`React with ${emoji}`}
          onClick={() => {
            onDone();
            toggleReaction(messenger, message, emoji);
          }}
        >
          {emoji}
        </button>
      ))}
    </div>
  );
}
