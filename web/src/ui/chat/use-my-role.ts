import { useEffect, useState } from 'preact/hooks';
import { DEFAULT_CHAT_PERMISSIONS, type Chat, type ChatMember } from '../../../../protocol/messages.js';
import { effectivePermissions, memberMay, type RightAction } from '../../../../protocol/rights.js';
import { chatIdOf } from '../../model/dialogs.js';
import { useMessenger } from '../context.js';

/**
 * The user as a member of a chat (role, admin rights, restriction), for
 * offering only the actions the server allows. In a private chat both
 * sides are plain members; in groups the chat is asked, and asked again
 * whenever a `chat` or `chat_member` update for it arrives (an appointment,
 * a change of rights, a restriction). `null` while unknown: callers offer
 * nothing that needs rights until then.
 */
export function useMyMember(chat: Chat | undefined): ChatMember | null {
  const messenger = useMessenger();
  const isGroup = chat !== undefined && chat.kind !== 'private';
  const chatId = chat?.id;
  const [member, setMember] = useState<ChatMember | null>(null);

  useEffect(() => {
    setMember(null);
    if (chatId === undefined || !isGroup) return;
    let live = true;
    const load = () =>
      messenger.client.api.getChat({ chat_id: chatId }).then(
        ({ members }) => live && setMember(members.find((m) => m.user_id === messenger.myId) ?? null),
        () => live && setMember(null),
      );
    void load();
    const off = messenger.client.on('chat', (update) => {
      if (chatIdOf(update) === chatId) void load();
    });
    return () => {
      live = false;
      off();
    };
  }, [chatId, isGroup]);

  if (chat === undefined) return null;
  return isGroup ? member : { user_id: messenger.myId, role: 'member', joined_at: 0 };
}

/** Whether `me` may take `action` in `chat`: the server's own rule (protocol/rights.ts). */
export function may(chat: Chat | undefined, me: ChatMember | null, action: RightAction): boolean {
  if (chat === undefined || me === null) return false;
  const permissions = effectivePermissions(chat.permissions ?? DEFAULT_CHAT_PERMISSIONS, me.restriction);
  return memberMay(chat.kind, { role: me.role, rights: me.rights, permissions }, action);
}

/** Who may pin: either side of a private chat; in a group whoever holds the right, or every member the chat lets pin. */
export function mayPin(chat: Chat | undefined, me: ChatMember | null): boolean {
  return may(chat, me, 'can_pin_messages');
}

/** Who may post: anyone in a private chat or group; in a channel, its creator and admins with can_post_messages. */
export function mayPost(chat: Chat | undefined, me: ChatMember | null, myId: number): boolean {
  if (chat === undefined || chat.kind !== 'channel') return true;
  // The creator is known from the chat itself, so its composer shows before the member arrives.
  return chat.creator_id === myId || may(chat, me, 'can_post_messages');
}
