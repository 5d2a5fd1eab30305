import { useEffect, useState } from 'preact/hooks';
import type { AdminLogEntry } from '../../../../protocol/admin-log.js';
import type { ChatMember } from '../../../../protocol/messages.js';
import { describeError } from '../../lib/errors.js';
import { formatDialogTime } from '../../lib/time.js';
import { chatIdOf } from '../../model/dialogs.js';
import { useMessenger } from '../context.js';

/**
 * Recent actions, for the creator and admins: the last 48 hours of what
 * the managers did, newest first, optionally only one admin's.
 */
export function AdminLogSection({ chatId, managers }: { chatId: number; managers: readonly ChatMember[] }) {
  const messenger = useMessenger();
  const { client, users } = messenger;
  const [entries, setEntries] = useState<AdminLogEntry[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [only, setOnly] = useState<number | null>(null);

  useEffect(() => {
    let live = true;
    const load = () =>
      client.api.getAdminLog({ chat_id: chatId, limit: 50, ...(only !== null ? { user_ids: [only] } : {}) }).then(
        ({ entries: got }) => {
          if (!live) return;
          setEntries(got);
          users.ensure(got.flatMap((e) => [e.actor_id, ...(e.user_id !== undefined ? [e.user_id] : [])]));
        },
        (err: unknown) => live && setError(describeError(err, 'group')),
      );
    void load();
    const off = client.on('chat', (update) => {
      if (chatIdOf(update) === chatId) void load();
    });
    return () => {
      live = false;
      off();
    };
  }, [chatId, only]);

  const name = (id: number | undefined) => (id === undefined ? '' : (users.byId.value.get(id)?.display_name ?? 'someone'));

  return (
    <section class="admin-log" aria-label="Recent actions">
      <h3 class="section-title">Recent actions</h3>
      <select
        class="field__input"
        aria-label="Actions by"
        value={only === null ? '' : String(only)}
        onChange={(e) => setOnly(e.currentTarget.value === '' ? null : Number(e.currentTarget.value))}
      >
        <option value="">All admins</option>
        {managers.map((m) => (
          <option key={m.user_id} value={String(m.user_id)}>
            {name(m.user_id)}
          </option>
        ))}
      </select>
      {error && (
        <p class="form-error" role="alert">
          {error}
        </p>
      )}
      {entries !== null && entries.length === 0 && <p class="admin-log__empty">Nothing in the last 48 hours.</p>}
      <ul class="admin-log__list">
        {(entries ?? []).map((e) => (
          <li key={e.id} class="admin-log__entry">
            <span>
              <strong>{name(e.actor_id)}</strong> {describe(e, name(e.user_id))}
            </span>
            <time class="admin-log__time">{formatDialogTime(e.date)}</time>
          </li>
        ))}
      </ul>
    </section>
  );
}

/** One action as a sentence after the admin's name. */
function describe(e: AdminLogEntry, whom: string): string {
  const d = e.details;
  switch (e.action) {
    case 'title_changed':
      return `renamed the group to “${d.title ?? ''}”`;
    case 'description_changed':
      return d.description ? 'changed the description' : 'removed the description';
    case 'photo_changed':
      return 'changed the group photo';
    case 'photo_deleted':
      return 'removed the group photo';
    case 'signatures_toggled':
      return d.enabled ? 'turned signatures on' : 'turned signatures off';
    case 'message_pinned':
      return 'pinned a message';
    case 'message_unpinned':
      return 'unpinned a message';
    case 'all_unpinned':
      return 'unpinned all messages';
    case 'message_deleted':
      return `deleted ${d.message_ids?.length === 1 ? 'a message' : `${d.message_ids?.length ?? 0} messages`}`;
    case 'member_added':
      return `added ${whom}`;
    case 'member_removed':
      return `removed ${whom}`;
    case 'member_banned':
      return `banned ${whom}`;
    case 'member_unbanned':
      return `unbanned ${whom}`;
    case 'member_restricted':
      return `changed what ${whom} may do`;
    case 'admin_rights_changed':
      return d.rights ? `changed the admin rights of ${whom}` : `dismissed ${whom} as admin`;
    case 'admin_title_changed':
      return `gave ${whom} the title “${d.title ?? ''}”`;
    case 'ownership_transferred':
      return `handed the group over to ${whom}`;
    case 'permissions_changed':
      return 'changed what members may do';
    case 'slow_mode_changed':
      return d.seconds ? `set slow mode to ${d.seconds} s` : 'turned slow mode off';
    case 'invite_link_created':
      return 'created an invite link';
    case 'invite_link_edited':
      return 'edited an invite link';
    case 'username_changed':
      return d.username ? `made the chat public as @${d.username}` : 'made the chat private';
    case 'join_by_request_toggled':
      return d.enabled ? 'turned on approval of new members' : 'turned off approval of new members';
    case 'join_request_approved':
      return `let ${whom} in`;
    case 'join_request_declined':
      return `declined ${whom}'s request to join`;
    case 'invite_link_revoked':
      return 'revoked an invite link';
    case 'forum_toggled':
      return d.enabled ? 'turned topics on' : 'turned topics off';
    case 'topic_created':
      return `created the topic “${d.title ?? ''}”`;
    case 'topic_edited':
      if (d.title !== undefined) return `renamed a topic to “${d.title}”`;
      return d.hidden ? 'hid the General topic' : 'showed the General topic';
    case 'topic_closed':
      return 'closed a topic';
    case 'topic_reopened':
      return 'reopened a topic';
    case 'topic_deleted':
      return `deleted the topic “${d.title ?? ''}”`;
  }
}
