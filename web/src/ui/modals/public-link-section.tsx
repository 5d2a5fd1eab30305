import { useEffect, useState } from 'preact/hooks';
import type { Chat } from '../../../../protocol/messages.js';
import { publicLinkUrl } from '../../model/route.js';
import { useMessenger } from '../context.js';
import { useBusyAction } from '../common/use-busy-action.js';

/**
 * A supergroup's or channel's public link (Telegram's "Group type"): its
 * creator gives it a username, which anyone can find and open as
 * `<origin>/<username>`, or clears it to make the chat private again; those
 * who may invite choose whether joining by the name needs their approval.
 */
export function PublicLinkSection({ chat, isCreator, mayInvite }: { chat: Chat; isCreator: boolean; mayInvite: boolean }) {
  const messenger = useMessenger();
  const { client } = messenger;
  const [name, setName] = useState(chat.username ?? '');
  useEffect(() => setName(chat.username ?? ''), [chat.username]);
  // Shown as asked at once; the chat's own value wins when it changes (another admin, or a refused toggle).
  const [approving, setApproving] = useState(chat.join_by_request === true);
  useEffect(() => setApproving(chat.join_by_request === true), [chat.join_by_request]);
  const { busy, error, act } = useBusyAction(async () => {}, 'username');
  const apply = (updated: Chat) => messenger.dialogs.onChat({ type: 'chat', chat: updated });
  const typed = name.trim().replace(/^@/, '');

  return (
    <section class="public-link" aria-label="Public link">
      <h3 class="section-title">Public link</h3>
      {error && (
        <p class="form-error" role="alert">
          {error}
        </p>
      )}
      {isCreator ? (
        <form
          class="field__row"
          onSubmit={(e) => {
            e.preventDefault();
            void act(async () => apply((await client.api.setChatUsername({ chat_id: chat.id, username: typed })).chat));
          }}
        >
          <input
            class="field__input"
            aria-label="Public username"
            placeholder="username (empty: private)"
            autocapitalize="none"
            spellcheck={false}
            value={name}
            onInput={(e) => setName(e.currentTarget.value)}
          />
          <button type="submit" class="button" disabled={busy || typed === (chat.username ?? '')}>
            {typed ? 'Save' : 'Make private'}
          </button>
        </form>
      ) : (
        !chat.username && <p class="muted">Private: people join by invite links.</p>
      )}
      {chat.username && (
        <p class="public-link__url">
          <a href={`#/@${chat.username}`}>{publicLinkUrl(chat.username)}</a>
        </p>
      )}
      {chat.username && mayInvite && (
        <label class="setting-toggle">
          <input
            type="checkbox"
            checked={approving}
            disabled={busy}
            onChange={(e) => {
              const enabled = e.currentTarget.checked;
              setApproving(enabled);
              void act(async () => apply((await client.api.setChatJoinByRequest({ chat_id: chat.id, enabled })).chat));
            }}
          />
          <span>
            Approve new members
            <small class="setting-toggle__hint">People who join by the public link wait for an admin to let them in.</small>
          </span>
        </label>
      )}
    </section>
  );
}
