import type { Chat } from '../../../../protocol/messages.js';
import { useMessenger } from '../context.js';
import { PhotoButtons, uploadPhoto } from '../common/photo-picker.js';

/**
 * Setting and removing a group's or channel's photo, for those who may change
 * its info: the picture and its preview are uploaded (uploadPhoto), then
 * setChatPhoto; the answer updates the chat at once, and everyone else by
 * the `chat` update.
 */
export function ChatPhotoEditor({ chat, busy, act }: { chat: Chat; busy: boolean; act: (action: () => Promise<unknown>) => Promise<void> }) {
  const messenger = useMessenger();
  const { client } = messenger;

  function setPhoto(file: File) {
    void act(async () => {
      const { chat: updated } = await client.api.setChatPhoto({ chat_id: chat.id, ...(await uploadPhoto(client, file)) });
      messenger.dialogs.onChat({ type: 'chat', chat: updated });
    });
  }

  function removePhoto() {
    void act(async () => {
      const { chat: updated } = await client.api.deleteChatPhoto({ chat_id: chat.id });
      messenger.dialogs.onChat({ type: 'chat', chat: updated });
    });
  }

  return <PhotoButtons inputLabel="Chat photo" setText="Set photo" hasPhoto={!!chat.photo} busy={busy} onPick={setPhoto} onRemove={removePhoto} />;
}
