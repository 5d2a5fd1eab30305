import { useEffect, useState } from 'preact/hooks';
import type { ChatInviteLink } from '../../../../protocol/invites.js';
import { describeError } from '../../lib/errors.js';
import { inviteLinkUrl } from '../../model/route.js';
import { showToast } from '../../model/toasts.js';
import { useMessenger } from '../context.js';
import { useBusyAction } from '../common/use-busy-action.js';

/**
 * A group's invite links, for its creator and admins: create one, copy it,
 * revoke it. Only working links are listed (a revoked one is gone for good).
 */
export function InviteLinksSection({ chatId }: { chatId: number }) {
  const { client } = useMessenger();
  const [links, setLinks] = useState<ChatInviteLink[] | null>(null);
  /** Whether the next link made needs an admin's approval to join (Telegram's "Request admin approval"). */
  const [approval, setApproval] = useState(false);

  async function reload() {
    const { links: all } = await client.api.getChatInviteLinks({ chat_id: chatId });
    setLinks(all.filter((l) => !l.is_revoked));
  }

  const { busy, error, setError, act } = useBusyAction(reload, 'group');

  useEffect(() => {
    reload().catch((err: unknown) => setError(describeError(err, 'group')));
  }, [chatId]);


  async function copy(url: string) {
    try {
      await navigator.clipboard.writeText(url);
      showToast('Invite link copied');
    } catch {
      // No clipboard permission: the link is selectable in its field.
      showToast('Copy the link from its field');
    }
  }

  return (
    <section class="invite-links" aria-label="Invite links">
      <h3 class="section-title">Invite link</h3>
      {error && (
        <p class="form-error" role="alert">
          {error}
        </p>
      )}
      <ul class="invite-links__list">
        {(links ?? []).map((link) => {
          const url = inviteLinkUrl(link.token);
          return (
            <li key={link.id} class="invite-links__item" data-link-id={link.id}>
              <input
                class="field__input"
                aria-label="Invite link"
                readOnly
                value={url}
                onFocus={(e) => e.currentTarget.select()}
              />
              <span class="invite-links__meta">{describeUsage(link)}</span>
              <span class="invite-links__actions">
                <button type="button" class="button" onClick={() => void copy(url)}>
                  Copy
                </button>
                <button type="button" class="button button--danger" disabled={busy} onClick={() => void act(() => client.api.revokeChatInviteLink({ chat_id: chatId, link_id: link.id }))}>
                  Revoke
                </button>
              </span>
            </li>
          );
        })}
      </ul>
      <label class="setting-toggle">
        <input type="checkbox" checked={approval} onChange={(e) => setApproval(e.currentTarget.checked)} />
        <span>
          Request admin approval
          <small class="setting-toggle__hint">People who open the new link ask to join; an admin lets them in.</small>
        </span>
      </label>
      <button
        type="button"
        class="button button--wide"
        disabled={busy || links === null}
        onClick={() => void act(() => client.api.createChatInviteLink({ chat_id: chatId, ...(approval ? { creates_join_request: true } : {}) }))}
      >
        {links?.length ? 'Create another invite link' : 'Create invite link'}
      </button>
    </section>
  );
}

function describeUsage(link: ChatInviteLink): string {
  const joined = link.creates_join_request ? `needs approval · ${link.usage} joined, ${link.pending_join_request_count ?? 0} waiting` : `${link.usage} joined`;
  const limit = link.member_limit !== undefined ? ` of ${link.member_limit}` : '';
  const expiry = link.expire_date !== undefined ? ` · expires ${new Date(link.expire_date).toLocaleString()}` : '';
  return `${joined}${limit}${expiry}`;
}
