import { useEffect, useState } from 'preact/hooks';
import type { Chat, MemberRole } from '../../../../protocol/messages.js';
import { chatIdOf } from '../../model/dialogs.js';
import { useMessenger } from '../context.js';

/**
 * The user's role in a chat, for offering only the actions the server allows
 * (pin, delete for everyone): `member` in private chats, where both sides may
 * do both; in groups the chat is asked, and asked again whenever a `chat` or
 * `chat_member` update for it arrives (an appointment or a dismissal).
 * `null` while unknown — callers offer nothing that needs a role until then.
 */
export function useMyRole(chat: Chat | undefined): MemberRole | null {
  const messenger = useMessenger();
  // Groups and channels have roles; in a private chat both sides may do everything.
  const isGroup = chat !== undefined && chat.kind !== 'private';
  const chatId = chat?.id;
  const [role, setRole] = useState<MemberRole | null>(null);

  useEffect(() => {
    setRole(null);
    if (chatId === undefined || !isGroup) return;
    let live = true;
    const load = () =>
      messenger.client.api.getChat({ chat_id: chatId }).then(
        ({ members }) => live && setRole(members.find((m) => m.user_id === messenger.myId)?.role ?? null),
        () => live && setRole(null),
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
  return isGroup ? role : 'member';
}

/** Who may pin: either side of a private chat; the creator and admins of a group or channel. */
export function mayPin(chat: Chat | undefined, role: MemberRole | null): boolean {
  if (chat === undefined || role === null) return false;
  return chat.kind === 'private' || role === 'creator' || role === 'admin';
}

/** Who may post: anyone in a private chat or group; in a channel, its creator and admins. */
export function mayPost(chat: Chat | undefined, role: MemberRole | null, me: number): boolean {
  if (chat === undefined || chat.kind !== 'channel') return true;
  // The creator is known from the chat itself, so its composer shows before the role arrives.
  return chat.creator_id === me || role === 'creator' || role === 'admin';
}
