import { openChat, openPublic, openUserChat } from '../../model/route.js';
import { useMessenger } from '../context.js';

/**
 * Opens what a username names: for a person, the private chat (the existing
 * one, or an empty chat that its first message creates); for a public chat,
 * the chat if the user is in it, else its screen with Join. Throws the SDK's
 * error (NOT_FOUND for an unknown name) for the caller to show.
 */
export function useOpenUser(): (username: string) => Promise<void> {
  const messenger = useMessenger();
  return async (username: string) => {
    const { user, chat } = await messenger.client.api.resolveUsername({ username: username.replace(/^@/, '') });
    if (!user) {
      if (chat?.is_member) openChat(chat.id);
      else if (chat) openPublic(chat.username);
      return;
    }
    messenger.users.add([user]);
    void messenger.users.fetch([user.id]);
    const existing = messenger.dialogs.privateChatWith(user.id);
    if (existing) openChat(existing.chat.id);
    else openUserChat(user.id);
  };
}
