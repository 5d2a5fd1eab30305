import type { ChatMember, MemberRole } from '../../../../protocol/messages.js';
import { formatPresence } from '../../lib/time.js';
import { useMessenger } from '../context.js';
import { UserAvatar } from '../common/user-avatar.js';
import type { MenuItem } from '../common/menu.js';
import { MenuButton } from '../common/menu.js';
import type { RowProps } from '../common/virtual-list.js';

const ROLE_LABEL: Record<MemberRole, string | null> = { creator: 'owner', admin: 'admin', member: null };

/** One member: avatar, name, presence (or @username until it is known), role, and the actions the viewer may take. */
export function MemberRow({ member, actions, rowProps }: { member: ChatMember; actions: readonly MenuItem[]; rowProps?: RowProps }) {
  const messenger = useMessenger();
  const user = messenger.users.byId.value.get(member.user_id);
  const status = messenger.users.statuses.value.get(member.user_id);
  const isMe = member.user_id === messenger.myId;
  const name = isMe ? `${user?.display_name ?? 'You'} (you)` : (user?.display_name ?? '…');
  const presence = isMe ? 'online' : status ? formatPresence(status) : user ? `@${user.username}` : '';
  const role = ROLE_LABEL[member.role];
  return (
    <li class="member-list__item" data-user-id={member.user_id} {...rowProps}>
      <UserAvatar userId={member.user_id} name={user?.display_name ?? '?'} size="sm" online={status?.online === true && !isMe} />
      <span class="member-list__text">
        <span class="member-list__name">{name}</span>
        <span class={status?.online || isMe ? 'member-list__status member-list__status--online' : 'member-list__status'}>{presence}</span>
      </span>
      {role && <span class="member-list__role">{role}</span>}
      {actions.length > 0 && !isMe && (
        <MenuButton label={`Actions for ${user?.display_name ?? 'member'}`} icon="more" placement="below-end" items={() => actions} />
      )}
    </li>
  );
}
