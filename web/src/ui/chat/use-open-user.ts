import { openChat, openUserChat } from '../../model/route.js';
import { useMessenger } from '../context.js';

/**
 * Opens the private chat with a username: the existing chat if there is one,
 * otherwise an empty chat that its first message creates. Throws the SDK's
 * error (NOT_FOUND for an unknown name) for the caller to show.
 */
export function useOpenUser(): (username: string) => Promise<void> {
  const messenger = useMessenger();
  return async (username: string) => {
    const { user } = await messenger.client.api.resolveUsername({ username: username.replace(/^@/, '') });
    messenger.users.add([user]);
    void messenger.users.fetch([user.id]);
    const existing = messenger.dialogs.privateChatWith(user.id);
    if (existing) openChat(existing.chat.id);
    else openUserChat(user.id);
  };
}
