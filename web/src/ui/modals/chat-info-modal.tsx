import { useEffect, useState } from 'preact/hooks';
import type { ChatMember, MemberRole } from '../../../../protocol/messages.js';
import { resolvePerson } from '../../lib/resolve.js';
import { describeError } from '../../lib/errors.js';
import { memberCount, membersOf } from '../../lib/people.js';
import { chatIdOf } from '../../model/dialogs.js';
import { goHome, openChat } from '../../model/route.js';
import { useMessenger } from '../context.js';
import { useBusyAction } from '../common/use-busy-action.js';
import { Avatar } from '../common/avatar.js';
import type { MenuItem } from '../common/menu.js';
import { Modal } from '../common/modal.js';
import { Spinner } from '../common/spinner.js';
import { ADMIN_RIGHTS, type AdminRights } from '../../../../protocol/messages.js';
import { MAX_CHAT_DESCRIPTION } from '../../../../protocol/common.js';
import { mayManageAdmin, type RightAction } from '../../../../protocol/rights.js';
import { may } from '../chat/use-my-role.js';
import { AdminEditor } from './admin-editor.js';
import { AdminLogSection } from './admin-log-section.js';
import { ChatPhotoEditor } from './chat-photo-editor.js';
import { useChatPhotoUrl } from '../common/use-chat-photo.js';
import { InviteLinksSection } from './invite-links-section.js';
import { JoinRequestsSection } from './join-requests-section.js';
import { PublicLinkSection } from './public-link-section.js';
import { DiscussionSection } from './discussion-section.js';
import { PermissionsSection } from './permissions-section.js';
import { MemberRow } from './member-row.js';
import { MembersPanel } from './members-panel.js';
import { useOpenModal } from './modals-context.js';

/**
 * A group's or channel's info: its name and members, with the actions the
 * user's rights allow, by the server's own rule (protocol/rights.ts): rename
 * with can_change_info, add and manage links with can_invite_users, remove,
 * ban and set what members may do (and slow mode) with
 * can_restrict_members, appoint and edit admins with can_promote_members
 * (only rights one holds, only one's own appointees), answer join requests
 * with can_invite_users; only the creator converts a basic group into a
 * supergroup or makes a supergroup or channel public; anyone leaves. Members are listed by MembersPanel, page by page; a
 * channel's subscribers see only its owner and admins (the server lists no
 * more to them), from getChat.
 */
export function ChatInfoModal({ chatId, onClose }: { chatId: number; onClose: () => void }) {
  const openModal = useOpenModal();
  const messenger = useMessenger();
  const { client, users } = messenger;
  const me = messenger.myId;
  const dialog = messenger.dialogs.byId.value.get(chatId);
  const [members, setMembers] = useState<ChatMember[] | null>(null);
  const [title, setTitle] = useState(dialog?.chat.title ?? '');
  const [username, setUsername] = useState('');
  const [description, setDescription] = useState(dialog?.chat.description ?? '');
  useEffect(() => setDescription(dialog?.chat.description ?? ''), [dialog?.chat.description]);
  // Shown as asked at once; the chat's own value wins when it changes (another admin, or a refused toggle).
  const [signing, setSigning] = useState(dialog?.chat.signatures === true);
  useEffect(() => setSigning(dialog?.chat.signatures === true), [dialog?.chat.signatures]);
  const [forum, setForum] = useState(dialog?.chat.is_forum === true);
  useEffect(() => setForum(dialog?.chat.is_forum === true), [dialog?.chat.is_forum]);

  async function reload() {
    try {
      const result = await client.api.getChat({ chat_id: chatId });
      setMembers(result.members);
      users.ensure(result.members.map((m) => m.user_id));
      void users.fetch(result.members.map((m) => m.user_id));
    } catch (err) {
      setError(describeError(err, 'group'));
    }
  }

  useEffect(() => {
    void reload();
    return client.on('chat', (update) => {
      if (chatIdOf(update) === chatId) void reload();
    });
  }, [chatId]);

  const { busy, error, setError, act } = useBusyAction(reload, 'group');

  const chat = dialog?.chat;
  const photoUrl = useChatPhotoUrl(chat, { big: true });
  const isChannel = chat?.kind === 'channel';
  const noun = isChannel ? 'channel' : 'group';
  const mine = members?.find((m) => m.user_id === me) ?? null;
  const myRole = mine?.role;
  const manager = myRole === 'creator' || myRole === 'admin';
  // Each action as the server's own rule allows it (protocol/rights.ts): a right, or a permission every member has.
  const can = (action: RightAction) => may(chat, mine, action);
  // A migrated group is read-only: nothing to manage there any more.
  const migrated = chat?.migrated_to !== undefined;
  const sorted = [...(members ?? [])].sort((a, b) => rank(a.role) - rank(b.role) || a.joined_at - b.joined_at);
  const [editing, setEditing] = useState<ChatMember | null>(null);

  /** Whom the user may appoint or change as an admin (the server's rule), never the creator or itself. */
  function manages(member: ChatMember): boolean {
    return member.role !== 'creator' && member.user_id !== me && mine !== null && mayManageAdmin(mine, member);
  }

  function memberActions(member: ChatMember): MenuItem[] {
    const items: MenuItem[] = [];
    // The panel's list comes from the index (roles only): the rights come from getChat's members.
    const known = members?.find((m) => m.user_id === member.user_id) ?? member;
    if (manages(known)) {
      items.push({
        label: known.role === 'admin' ? 'Edit admin rights' : 'Make admin',
        icon: 'shield',
        onSelect: () => setEditing(known),
      });
    }
    const restrictable = member.role === 'member' || (member.role === 'admin' && manages(known));
    if (can('can_restrict_members') && restrictable && member.user_id !== me) {
      items.push({
        label: `Remove from ${noun}`,
        icon: 'remove',
        danger: true,
        onSelect: () => void act(() => client.api.removeChatMember({ chat_id: chatId, user_id: member.user_id })),
      });
      items.push({
        label: `Ban from ${noun}`,
        icon: 'remove',
        danger: true,
        onSelect: () => void act(() => client.api.banChatMember({ chat_id: chatId, user_id: member.user_id })),
      });
    }
    return items;
  }

  if (editing && chat) {
    return (
      <Modal title={isChannel ? 'Channel info' : 'Group info'} onClose={onClose}>
        {error && (
          <p class="form-error" role="alert">
            {error}
          </p>
        )}
        <AdminEditor
          chat={chat}
          member={editing}
          mine={mine?.role === 'creator' ? allRights() : mine?.rights}
          busy={busy}
          onCancel={() => setEditing(null)}
          onDismiss={() =>
            void act(async () => {
              await client.api.editChatAdmin({ chat_id: chatId, user_id: editing.user_id, rights: null });
              setEditing(null);
            })
          }
          onSave={(rights, title) =>
            void act(async () => {
              await client.api.editChatAdmin({ chat_id: chatId, user_id: editing.user_id, rights, ...(title ? { title } : {}) });
              setEditing(null);
            })
          }
        />
      </Modal>
    );
  }

  return (
    <Modal title={isChannel ? 'Channel info' : 'Group info'} onClose={onClose}>
      <div class="profile">
        <Avatar id={chatId} name={dialog?.chat.title ?? 'Group'} size="xl" src={photoUrl} />
        <p class="profile__name">{dialog?.chat.title}</p>
        <p class="profile__status">{memberCount(dialog ? membersOf(dialog.chat) : (members?.length ?? 0), dialog?.chat.kind)}</p>
        {chat?.description && !can('can_change_info') && <p class="profile__about">{chat.description}</p>}
      </div>
      {error && (
        <p class="form-error" role="alert">
          {error}
        </p>
      )}
      {chat && can('can_change_info') && !migrated && <ChatPhotoEditor chat={chat} busy={busy} act={act} />}
      {can('can_change_info') && !migrated && (
        <form
          class="field__row"
          onSubmit={(e) => {
            e.preventDefault();
            if (title.trim() && title.trim() !== dialog?.chat.title) void act(() => client.api.editChatTitle({ chat_id: chatId, title: title.trim() }));
          }}
        >
          <input class="field__input" aria-label={isChannel ? 'Channel name' : 'Group name'} maxLength={128} value={title} onInput={(e) => setTitle(e.currentTarget.value)} />
          <button type="submit" class="button" disabled={busy || !title.trim() || title.trim() === dialog?.chat.title}>
            Rename
          </button>
        </form>
      )}
      {can('can_change_info') && !migrated && (
        <form
          class="field"
          onSubmit={(e) => {
            e.preventDefault();
            void act(async () => {
              const { chat: updated } = await client.api.editChatDescription({ chat_id: chatId, description: description.trim() });
              messenger.dialogs.onChat({ type: 'chat', chat: updated });
            });
          }}
        >
          <textarea
            class="field__input"
            aria-label="Description"
            placeholder="Description (optional)"
            rows={2}
            maxLength={MAX_CHAT_DESCRIPTION}
            value={description}
            onInput={(e) => setDescription(e.currentTarget.value)}
          />
          <button type="submit" class="button button--small" disabled={busy || description.trim() === (chat?.description ?? '')}>
            Save description
          </button>
        </form>
      )}
      {can('can_invite_users') && !migrated && (
        <form
          class="field__row"
          onSubmit={(e) => {
            e.preventDefault();
            const name = username.trim().replace(/^@/, '');
            if (!name) return;
            void act(async () => {
              const user = await resolvePerson(client, name);
              users.add([user]);
              await client.api.addChatMember({ chat_id: chatId, user_id: user.id });
              setUsername('');
            });
          }}
        >
          <input
            class="field__input"
            aria-label={isChannel ? 'Add subscriber by username' : 'Add member by username'}
            placeholder={isChannel ? 'Add subscriber: @username' : 'Add member: @username'}
            autocapitalize="none"
            spellcheck={false}
            value={username}
            onInput={(e) => setUsername(e.currentTarget.value)}
          />
          <button type="submit" class="button" disabled={busy || !username.trim()}>
            Add
          </button>
        </form>
      )}
      {can('can_change_info') && isChannel && (
        // Telegram's "Sign messages": posts name their author; off, they come from the channel alone.
        <label class="setting-toggle">
          <input
            type="checkbox"
            checked={signing}
            disabled={busy}
            onChange={(e) => {
              const enabled = e.currentTarget.checked;
              setSigning(enabled);
              void act(async () => {
                const { chat: updated } = await client.api.toggleSignatures({ chat_id: chatId, enabled });
                messenger.dialogs.onChat({ type: 'chat', chat: updated });
              });
            }}
          />
          <span>
            Sign messages
            <small class="setting-toggle__hint">Posts show the name of the admin who wrote them.</small>
          </span>
        </label>
      )}
      {chat && isChannel && can('can_change_info') && !migrated && <DiscussionSection channel={chat} />}
      {chat && (chat.kind === 'supergroup' || isChannel) && (myRole === 'creator' || chat.username) && (
        <PublicLinkSection chat={chat} isCreator={myRole === 'creator'} mayInvite={manager && can('can_invite_users')} />
      )}
      {manager && can('can_invite_users') && !migrated && <JoinRequestsSection chatId={chatId} />}
      {chat?.kind === 'supergroup' && can('can_change_info') && (
        // Telegram's "Topics": the group's messages split into forum topics (its history goes to General).
        <label class="setting-toggle">
          <input
            type="checkbox"
            checked={forum}
            disabled={busy}
            onChange={(e) => {
              const enabled = e.currentTarget.checked;
              setForum(enabled);
              void act(async () => {
                const { chat: updated } = await client.api.toggleForum({ chat_id: chatId, enabled });
                messenger.dialogs.onChat({ type: 'chat', chat: updated });
              });
            }}
          />
          <span>
            Topics
            <small class="setting-toggle__hint">Split the group's messages into topics; what was said so far goes to General.</small>
          </span>
        </label>
      )}
      {manager && can('can_invite_users') && !migrated && <InviteLinksSection chatId={chatId} />}
      {chat && !isChannel && can('can_restrict_members') && !migrated && <PermissionsSection chat={chat} busy={busy} act={act} />}
      {manager && <AdminLogSection chatId={chatId} managers={sorted.filter((m) => m.role !== 'member')} />}
      {chat && chat.kind === 'group' && myRole === 'creator' && !migrated && (
        <button
          type="button"
          class="button button--wide"
          disabled={busy}
          onClick={() =>
            void act(async () => {
              const { chat: supergroup } = await client.api.migrateChat({ chat_id: chatId });
              messenger.dialogs.addChat(supergroup);
              onClose();
              openChat(supergroup.id);
            })
          }
        >
          Convert to supergroup
        </button>
      )}
      {chat && (!isChannel || manager) ? (
        <MembersPanel chat={chat} total={membersOf(chat)} actionsFor={(member) => (migrated ? [] : memberActions(member))} />
      ) : (
        <>
          <h3 class="section-title">Admins</h3>
          {members === null ? (
            !error && <Spinner label="Loading members" />
          ) : (
            <ul class="member-list" aria-label="Admins">
              {sorted.map((member) => (
                <MemberRow key={member.user_id} member={member} actions={[]} />
              ))}
            </ul>
          )}
        </>
      )}
      {dialog?.is_member && myRole !== 'creator' && (
        <button type="button" class="button button--wide" onClick={() => openModal({ kind: 'report', target: { kind: 'chat', chatId } })}>
          {isChannel ? 'Report channel' : 'Report group'}
        </button>
      )}
      {dialog?.is_member && !migrated && (
        <button
          type="button"
          class="button button--danger button--wide"
          disabled={busy}
          onClick={() =>
            void act(async () => {
              await client.api.leaveChat({ chat_id: chatId });
              onClose();
              goHome();
            })
          }
        >
          {isChannel ? 'Leave channel' : 'Leave group'}
        </button>
      )}
    </Modal>
  );
}

/** The creator holds every right, anonymity aside. */
function allRights(): AdminRights {
  return Object.fromEntries(ADMIN_RIGHTS.map((r) => [r, true])) as AdminRights;
}

function rank(role: MemberRole): number {
  return role === 'creator' ? 0 : role === 'admin' ? 1 : 2;
}
