import { useState } from 'preact/hooks';
import { ADMIN_RIGHTS, type AdminRight, type AdminRights, type Chat, type ChatMember } from '../../../../protocol/messages.js';
import { useMessenger } from '../context.js';

/** Each right as a person reads it; channel-only rights are offered in channels only. */
const RIGHT_LABEL: Record<AdminRight, string> = {
  can_change_info: 'Change info',
  can_post_messages: 'Post messages',
  can_edit_messages: 'Edit messages of others',
  can_delete_messages: 'Delete messages of others',
  can_restrict_members: 'Ban and restrict users',
  can_invite_users: 'Add users and invite links',
  can_pin_messages: 'Pin messages',
  can_manage_topics: 'Manage topics',
  can_manage_video_chats: 'Manage calls',
  can_promote_members: 'Add new admins',
  is_anonymous: 'Remain anonymous',
};
const CHANNEL_ONLY = new Set<AdminRight>(['can_post_messages', 'can_edit_messages']);
const GROUP_ONLY = new Set<AdminRight>(['can_pin_messages', 'can_manage_topics', 'is_anonymous']);

/** Rights an admin starts with when appointed here: everything but appointing admins, as the server's default. */
function defaultRights(held: AdminRights | undefined): AdminRights {
  return Object.fromEntries(ADMIN_RIGHTS.map((r) => [r, r !== 'can_promote_members' && r !== 'is_anonymous' && (held?.[r] ?? false)])) as AdminRights;
}

/**
 * Appointing an admin or changing one: a switch per right (only the rights
 * the user holds can be granted: the others are shown, disabled), a custom
 * title, and Save or Dismiss. The server checks it all again.
 */
export function AdminEditor({
  chat,
  member,
  mine,
  busy,
  onSave,
  onDismiss,
  onCancel,
}: {
  chat: Chat;
  member: ChatMember;
  /** The user's own rights (the creator holds all). */
  mine: AdminRights | undefined;
  busy: boolean;
  onSave: (rights: AdminRights, title: string) => void;
  onDismiss: () => void;
  onCancel: () => void;
}) {
  const { users } = useMessenger();
  const name = users.byId.value.get(member.user_id)?.display_name ?? 'this member';
  const isAdmin = member.role === 'admin';
  const [rights, setRights] = useState<AdminRights>(() => member.rights ?? defaultRights(mine));
  const [title, setTitle] = useState(member.title ?? '');
  const shown = ADMIN_RIGHTS.filter((r) => (chat.kind === 'channel' ? !GROUP_ONLY.has(r) : !CHANNEL_ONLY.has(r)));

  return (
    <section class="admin-editor" aria-label={`Admin rights of ${name}`}>
      <h3 class="section-title">{isAdmin ? `Admin rights of ${name}` : `Make ${name} an admin`}</h3>
      <ul class="admin-editor__rights">
        {shown.map((right) => (
          <li key={right}>
            <label class="setting-toggle">
              <input
                type="checkbox"
                name={right}
                checked={rights[right]}
                // Only a right the user holds can be granted (or taken away) by them.
                disabled={busy || mine?.[right] !== true}
                onChange={(e) => setRights({ ...rights, [right]: e.currentTarget.checked })}
              />
              <span>{RIGHT_LABEL[right]}</span>
            </label>
          </li>
        ))}
      </ul>
      <label class="field">
        <span class="field__label">Custom title</span>
        <input
          class="field__input"
          aria-label="Custom title"
          maxLength={16}
          placeholder="admin"
          value={title}
          onInput={(e) => setTitle(e.currentTarget.value)}
        />
      </label>
      <div class="admin-editor__actions">
        <button type="button" class="button button--primary" disabled={busy} onClick={() => onSave(rights, title.trim())}>
          Save
        </button>
        {isAdmin && (
          <button type="button" class="button button--danger" disabled={busy} onClick={onDismiss}>
            Dismiss admin
          </button>
        )}
        <button type="button" class="button" disabled={busy} onClick={onCancel}>
          Cancel
        </button>
      </div>
    </section>
  );
}
