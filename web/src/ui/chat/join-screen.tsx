import { useEffect, useState } from 'preact/hooks';
import type { Chat } from '../../../../protocol/messages.js';
import type { JoinRequestSent } from '../../../../protocol/public-chats.js';
import { describeError } from '../../lib/errors.js';
import { memberCount } from '../../lib/people.js';
import { goHome, openChat } from '../../model/route.js';
import { Avatar } from '../common/avatar.js';
import { Spinner } from '../common/spinner.js';
import { useMessenger } from '../context.js';
import { useOpenUser } from './use-open-user.js';

/** What the screen leads into: a group's invite link, or a public chat's username. */
export type JoinTarget = { token: string } | { username: string };

/** What is shown before joining: all the server tells an outsider. */
type Preview = {
  title: string;
  kind: 'group' | 'channel';
  member_count: number;
  description?: string;
  username?: string;
  /** Joining makes a request an admin approves. */
  request_needed: boolean;
  /** Public chats: the id joinChat takes. */
  chat_id?: number;
};

/**
 * An invite link (`#/join/<token>`) or a public chat (`#/@<username>`)
 * opened: what the chat is (title, size, and its description where joining
 * needs approval or the chat is public) and a Join (or Request to join)
 * button. A member is taken straight to the chat, a person's name to their
 * private chat; a link or name that leads nowhere says so. A request made
 * says it waits for an admin, and the chat opens by itself once one approves.
 */
export function JoinScreen({ target }: { target: JoinTarget }) {
  const { client, dialogs } = useMessenger();
  const openUser = useOpenUser();
  const [preview, setPreview] = useState<Preview | null>(null);
  const [requested, setRequested] = useState<JoinRequestSent | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const context = 'token' in target ? 'group' : 'username';

  useEffect(() => {
    const found = 'token' in target ? checkLink(target.token) : checkName(target.username);
    found.then(
      (shown) => shown && setPreview(shown),
      (err: unknown) => setError(describeError(err, context)),
    );
  }, ['token' in target ? target.token : target.username]);

  // Approved while the screen is open: the chat arrives in the dialogs, and the screen becomes it.
  const admitted = requested ? dialogs.byId.value.get(requested.chat_id)?.is_member === true : false;
  useEffect(() => {
    if (admitted && requested) openChat(requested.chat_id, { replace: true });
  }, [admitted]);

  async function checkLink(token: string): Promise<Preview | null> {
    const found = await client.api.checkChatInviteLink({ token });
    if (found.chat_id !== undefined) return openChat(found.chat_id, { replace: true }), null;
    return { ...found, kind: found.kind ?? 'group', request_needed: found.request_needed ?? false };
  }

  async function checkName(username: string): Promise<Preview | null> {
    const { user, chat } = await client.api.resolveUsername({ username });
    if (user || !chat) return void (await openUser(username)), null;
    if (chat.is_member) return openChat(chat.id, { replace: true }), null;
    return {
      title: chat.title,
      kind: chat.kind === 'channel' ? 'channel' : 'group',
      member_count: chat.member_count,
      username: chat.username,
      request_needed: chat.join_by_request ?? false,
      chat_id: chat.id,
      ...(chat.description ? { description: chat.description } : {}),
    };
  }

  async function join() {
    setBusy(true);
    setError(null);
    try {
      const joined: { chat?: Chat; join_request?: JoinRequestSent } =
        'token' in target ? await client.api.joinChatByInviteLink({ token: target.token }) : await client.api.joinChat({ chat_id: preview!.chat_id! });
      if (joined.chat) {
        dialogs.addChat(joined.chat);
        openChat(joined.chat.id, { replace: true });
        return;
      }
      setRequested(joined.join_request ?? null);
    } catch (err) {
      setError(describeError(err, context));
    }
    setBusy(false);
  }

  if (!preview && !error) {
    return (
      <div class="chat-area__empty">
        <Spinner label={'token' in target ? 'Checking the invite link' : 'Looking up the name'} />
      </div>
    );
  }
  const noun = preview?.kind === 'channel' ? 'channel' : 'group';
  return (
    <div class="chat-area__empty">
      <section class="chat-area__empty-note join-card" aria-label={'token' in target ? 'Invite link' : 'Public chat'}>
        {preview && (
          <>
            <Avatar id={preview.chat_id ?? 0} name={preview.title} size="xl" />
            <p class="profile__name">{preview.title}</p>
            {preview.username && <p class="profile__username">@{preview.username}</p>}
            <p class="profile__status">{memberCount(preview.member_count, preview.kind)}</p>
            {preview.description && <p class="join-card__description">{preview.description}</p>}
          </>
        )}
        {error && (
          <p class="form-error" role="alert">
            {error}
          </p>
        )}
        {requested && (
          <p class="join-card__requested" role="status">
            Request sent. You will join the {noun} when an admin approves it.
          </p>
        )}
        <div class="join-card__actions">
          {preview && !error && !requested && (
            <button type="button" class="button button--primary" disabled={busy} onClick={() => void join()}>
              {preview.request_needed ? 'Request to join' : preview.kind === 'channel' ? 'Join channel' : 'Join group'}
            </button>
          )}
          <button type="button" class="button" onClick={goHome}>
            {preview && !error && !requested ? 'Cancel' : 'Back to chats'}
          </button>
        </div>
      </section>
    </div>
  );
}
