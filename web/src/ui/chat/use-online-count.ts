import { useEffect, useState } from 'preact/hooks';
import { useMessenger } from '../context.js';

/** How often an open group's "M online" is asked again. */
export const ONLINE_COUNT_REFRESH_MS = 30_000;

/**
 * "M online" for the open group or supergroup: getChatOnlineCount when the
 * chat opens, every 30 s while it stays open, and when the connection comes
 * back. Asked, not derived from presence events: a supergroup's members are
 * not all known to the client (the server counts them, at the same cost for
 * any size). `null` until the first answer, or for chats that have none.
 */
export function useOnlineCount(chatId: number | null, counted: boolean): number | null {
  const messenger = useMessenger();
  const [online, setOnline] = useState<number | null>(null);
  const connected = messenger.connection.view.value === 'online';

  useEffect(() => {
    setOnline(null);
    if (chatId === null || !counted) return;
    let live = true;
    const ask = () => {
      // Calls made offline would queue up in the SDK; the reconnect asks again anyway.
      if (messenger.connection.view.peek() !== 'online') return;
      messenger.client.api.getChatOnlineCount({ chat_id: chatId }).then(
        ({ online }) => live && setOnline(online),
        () => {}, // the count stays as it was; the next tick asks again
      );
    };
    ask();
    const timer = setInterval(ask, ONLINE_COUNT_REFRESH_MS);
    return () => {
      live = false;
      clearInterval(timer);
    };
  }, [chatId, counted, connected]);

  return counted ? online : null;
}
