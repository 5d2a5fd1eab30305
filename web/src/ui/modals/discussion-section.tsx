import { useState } from 'preact/hooks';
import type { Chat } from '../../../../protocol/messages.js';
import { useMessenger } from '../context.js';
import { useBusyAction } from '../common/use-busy-action.js';

/**
 * A channel's discussion group (Telegram's "Discussion"): an admin who may
 * change the channel's info links one of their supergroups, where every
 * new post is forwarded and commented on, or unlinks it. The server checks
 * the rights in both chats; its refusal is shown as it says.
 */
export function DiscussionSection({ channel }: { channel: Chat }) {
  const messenger = useMessenger();
  const { client, dialogs } = messenger;
  const candidates = [...dialogs.byId.value.values()].filter((d) => d.is_member && d.chat.kind === 'supergroup' && !d.chat.migrated_to);
  const [picked, setPicked] = useState<number | null>(null);
  const { busy, error, act } = useBusyAction(async () => {}, 'group');
  const linked = channel.linked_chat_id ?? null;
  const linkedTitle = linked === null ? null : (dialogs.byId.value.get(linked)?.chat.title ?? 'a group');
  const choice = picked ?? candidates.find((d) => d.chat.linked_chat_id === undefined)?.chat.id ?? null;

  function link(groupId: number | null) {
    void act(async () => {
      const { chat } = await client.api.setDiscussionGroup({ channel_id: channel.id, group_id: groupId });
      dialogs.onChat({ type: 'chat', chat });
    });
  }

  return (
    <section class="discussion" aria-label="Discussion">
      <h3 class="section-title">Discussion</h3>
      {error && (
        <p class="form-error" role="alert">
          {error}
        </p>
      )}
      {linked !== null ? (
        <div class="field__row">
          <p class="muted">
            Comments on posts go to <strong>{linkedTitle}</strong>.
          </p>
          <button type="button" class="button button--secondary" disabled={busy} onClick={() => link(null)}>
            Unlink group
          </button>
        </div>
      ) : candidates.length === 0 ? (
        <p class="muted">Create a supergroup you manage to let subscribers comment on posts.</p>
      ) : (
        <form
          class="field__row"
          onSubmit={(e) => {
            e.preventDefault();
            if (choice !== null) link(choice);
          }}
        >
          <select
            class="field__input"
            aria-label="Discussion group"
            value={choice ?? ''}
            onChange={(e) => setPicked(Number(e.currentTarget.value))}
          >
            {candidates.map((d) => (
              <option key={d.chat.id} value={d.chat.id}>
                {d.chat.title ?? 'Group'}
              </option>
            ))}
          </select>
          <button type="submit" class="button" disabled={busy || choice === null}>
            Link group
          </button>
        </form>
      )}
    </section>
  );
}
