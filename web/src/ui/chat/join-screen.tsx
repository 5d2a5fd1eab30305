import { useEffect, useState } from 'preact/hooks';
import type { ChatInvitePreview } from '../../../../protocol/invites.js';
import { describeError } from '../../lib/errors.js';
import { memberCount } from '../../lib/people.js';
import { goHome, openChat } from '../../model/route.js';
import { Avatar } from '../common/avatar.js';
import { Spinner } from '../common/spinner.js';
import { useMessenger } from '../context.js';

/**
 * An invite link opened (`#/join/<token>`): what the group is — its title
 * and size, all the server tells before joining — and a Join button. A member
 * is taken straight to the chat; a link that no longer works says so.
 */
export function JoinScreen({ token }: { token: string }) {
  const { client, dialogs } = useMessenger();
  const [preview, setPreview] = useState<ChatInvitePreview | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    client.api.checkChatInviteLink({ token }).then(
      (found) => (found.chat_id !== undefined ? openChat(found.chat_id, { replace: true }) : setPreview(found)),
      (err: unknown) => setError(describeError(err, 'group')),
    );
  }, [token]);

  async function join() {
    setBusy(true);
    setError(null);
    try {
      const { chat } = await client.api.joinChatByInviteLink({ token });
      dialogs.addChat(chat);
      openChat(chat.id, { replace: true });
    } catch (err) {
      setError(describeError(err, 'group'));
      setBusy(false);
    }
  }

  if (!preview && !error) {
    return (
      <div class="chat-area__empty">
        <Spinner label="Checking the invite link" />
      </div>
    );
  }
  return (
    <div class="chat-area__empty">
      <section class="chat-area__empty-note join-card" aria-label="Invite link">
        {preview && (
          <>
            <Avatar id={0} name={preview.title} size="xl" />
            <p class="profile__name">{preview.title}</p>
            <p class="profile__status">{memberCount(preview.member_count, preview.kind)}</p>
          </>
        )}
        {error && (
          <p class="form-error" role="alert">
            {error}
          </p>
        )}
        <div class="join-card__actions">
          {preview && !error && (
            <button type="button" class="button button--primary" disabled={busy} onClick={() => void join()}>
              {preview.kind === 'channel' ? 'Join channel' : 'Join group'}
            </button>
          )}
          <button type="button" class="button" onClick={goHome}>
            {preview && !error ? 'Cancel' : 'Back to chats'}
          </button>
        </div>
      </section>
    </div>
  );
}
