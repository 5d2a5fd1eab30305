import { useEffect, useState } from 'preact/hooks';
import type { ChatJoinRequest } from '../../../../protocol/public-chats.js';
import { describeError } from '../../lib/errors.js';
import { formatDialogTime } from '../../lib/time.js';
import { useMessenger } from '../context.js';
import { UserAvatar } from '../common/user-avatar.js';
import { useBusyAction } from '../common/use-busy-action.js';

/**
 * The chat's pending join requests, for those who may invite: who asked,
 * when and through which link, each with Add and Dismiss. Kept current by
 * the `chat_join_request` updates approvers get (another admin's answer
 * takes a request off here too). Nothing shows while nobody waits.
 */
export function JoinRequestsSection({ chatId }: { chatId: number }) {
  const messenger = useMessenger();
  const { client, users } = messenger;
  const [requests, setRequests] = useState<ChatJoinRequest[]>([]);
  const [count, setCount] = useState(0);

  async function reload() {
    const page = await client.api.getChatJoinRequests({ chat_id: chatId, limit: 50 });
    users.ensure(page.requests.map((r) => r.user_id));
    void users.fetch(page.requests.map((r) => r.user_id));
    setRequests(page.requests);
    setCount(page.count);
  }

  const { busy, error, setError, act } = useBusyAction(reload, 'group');

  useEffect(() => {
    reload().catch((err: unknown) => setError(describeError(err, 'group')));
    return client.on('joinRequest', (update) => {
      if (update.chat_id === chatId) void reload().catch(() => {});
    });
  }, [chatId]);

  if (count === 0 && !error) return null;
  const byId = users.byId.value;
  return (
    <section class="join-requests" aria-label="Join requests">
      <h3 class="section-title">Join requests ({count})</h3>
      {error && (
        <p class="form-error" role="alert">
          {error}
        </p>
      )}
      <ul class="member-list">
        {requests.map((request) => {
          const user = byId.get(request.user_id);
          const name = user?.display_name ?? '…';
          return (
            <li key={request.user_id} class="member-list__item join-requests__item" data-user-id={request.user_id}>
              <UserAvatar userId={request.user_id} name={user?.display_name ?? '?'} size="sm" />
              <span class="member-list__text">
                <span class="member-list__name">{name}</span>
                <span class="member-list__status">
                  {user ? `@${user.username} · ` : ''}
                  {formatDialogTime(request.date)}
                  {request.invite_link?.name ? ` · via “${request.invite_link.name}”` : ''}
                </span>
              </span>
              <span class="join-requests__actions">
                <button
                  type="button"
                  class="button button--primary button--small"
                  disabled={busy}
                  aria-label={`Add ${name}`}
                  onClick={() => void act(() => client.api.approveChatJoinRequest({ chat_id: chatId, user_id: request.user_id }))}
                >
                  Add
                </button>
                <button
                  type="button"
                  class="button button--small"
                  disabled={busy}
                  aria-label={`Dismiss ${name}`}
                  onClick={() => void act(() => client.api.declineChatJoinRequest({ chat_id: chatId, user_id: request.user_id }))}
                >
                  Dismiss
                </button>
              </span>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
