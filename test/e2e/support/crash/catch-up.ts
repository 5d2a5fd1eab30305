import type { Message } from '../../../../protocol/messages.js';
import type { RecordedSend } from '../../../support/history-checker.js';
import type { Device } from '../sdk.js';

/**
 * Why `device` is not caught up yet (undefined once it is): it must be
 * online, at the server's pts, and hold every acknowledged message of the
 * chats its account was in all along. Deliveries a crash interrupted are
 * re-driven by the chat's alarm, so this can take a backstop period.
 */
async function lag(device: Device, acked: RecordedSend[], steady: Map<number, Set<number>>): Promise<string | undefined> {
  if (device.client.state !== 'online') return `${device.name} is ${device.client.state}`;
  const { pts } = await device.client.call('getState', {});
  if (device.client.pts !== pts) return `${device.name} at pts ${device.client.pts}, server at ${pts}`;
  const have = new Set(device.applied.flatMap((e) => (e.update.type === 'new_message' ? [`${e.update.message.chat_id}:${e.update.message.id}`] : [])));
  const missing = acked.filter((s) => steady.get(s.chatId)?.has(device.userId) && !have.has(`${s.chatId}:${s.ack!.messageId}`));
  return missing.length > 0 ? `${device.name} lacks ${missing.length} acked messages` : undefined;
}

/** Polls until every device is caught up; returns what still lags when `timeoutMs` runs out (empty on success). */
export async function waitUntilCaughtUp(
  devices: Device[],
  sends: RecordedSend[],
  steady: Map<number, Set<number>>,
  timeoutMs: number,
): Promise<string[]> {
  const acked = sends.filter((s) => s.ack);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const lagging = (await Promise.all(devices.map((d) => lag(d, acked, steady).catch((e: unknown) => String(e))))).filter(
      (x): x is string => x !== undefined,
    );
    if (lagging.length === 0 || Date.now() > deadline) return lagging;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

/** A chat's whole visible history as `device` reads it, ascending (paging back from the newest). */
export async function fullHistory(device: Device, chatId: number): Promise<Message[]> {
  let all: Message[] = [];
  for (;;) {
    const oldest = all[0]?.id;
    const { messages: page } = await device.client.api.getHistory({ chat_id: chatId, limit: 100, ...(oldest ? { offset_id: oldest } : {}) });
    all = [...page, ...all];
    if (page.length < 100 || page[0]!.id === 1) return all;
  }
}
