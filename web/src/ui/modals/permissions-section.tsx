import { CHAT_PERMISSIONS, DEFAULT_CHAT_PERMISSIONS, SLOW_MODE_STEPS, type Chat, type ChatPermission } from '../../../../protocol/messages.js';
import { formatWait } from '../../lib/errors.js';
import { useMessenger } from '../context.js';

const PERMISSION_LABEL: Record<ChatPermission, string> = {
  can_send_messages: 'Send messages',
  can_send_media: 'Send media',
  can_send_links: 'Send links',
  can_send_polls: 'Send polls',
  can_invite_users: 'Add members',
  can_pin_messages: 'Pin messages',
  can_change_info: 'Change group info',
  can_manage_topics: 'Create topics',
};

/**
 * What every member of a group may do, and slow mode: for admins who may
 * restrict members. Each change is sent at once; the chat's own update
 * (every member gets it) is what the switches then show.
 */
export function PermissionsSection({ chat, busy, act }: { chat: Chat; busy: boolean; act: (action: () => Promise<unknown>) => Promise<void> }) {
  const messenger = useMessenger();
  const { client } = messenger;
  const current = chat.permissions ?? DEFAULT_CHAT_PERMISSIONS;
  const slow = chat.slow_mode_seconds ?? 0;

  function apply(update: Promise<{ chat: Chat }>) {
    return act(async () => messenger.dialogs.onChat({ type: 'chat', chat: (await update).chat }));
  }

  return (
    <section class="permissions" aria-label="Permissions">
      <h3 class="section-title">What members can do</h3>
      <ul class="admin-editor__rights">
        {CHAT_PERMISSIONS.map((name) => (
          <li key={name}>
            <label class="setting-toggle">
              <input
                type="checkbox"
                name={name}
                checked={current[name]}
                disabled={busy || (name !== 'can_send_messages' && !current.can_send_messages && name.startsWith('can_send'))}
                onChange={(e) => void apply(client.api.setChatPermissions({ chat_id: chat.id, permissions: { ...current, [name]: e.currentTarget.checked } }))}
              />
              <span>{PERMISSION_LABEL[name]}</span>
            </label>
          </li>
        ))}
      </ul>
      <label class="field">
        <span class="field__label">Slow mode</span>
        <select
          class="field__input"
          aria-label="Slow mode"
          value={String(slow)}
          disabled={busy}
          onChange={(e) => {
            const seconds = Number(e.currentTarget.value) as (typeof SLOW_MODE_STEPS)[number];
            void apply(client.api.setChatSlowMode({ chat_id: chat.id, seconds }));
          }}
        >
          {SLOW_MODE_STEPS.map((s) => (
            <option key={s} value={String(s)}>
              {s === 0 ? 'Off' : formatWait(s)}
            </option>
          ))}
        </select>
        <small class="setting-toggle__hint">Members wait this long between their messages; admins do not.</small>
      </label>
    </section>
  );
}
