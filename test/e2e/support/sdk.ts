import { EdgegramClient } from '../../../client/index.js';
import type { WebSocketConstructor, WebSocketLike } from '../../../client/platform.js';
import type { Message } from '../../../protocol/messages.js';
import type { UpdateEnvelope } from '../../../protocol/updates.js';
import type { RecordedDevice } from '../../support/history-checker.js';

let counter = 0;
export function uniqueName(prefix: string): string {
  counter += 1;
  return `${prefix}_${process.pid}_${counter}`.slice(0, 32);
}

/**
 * A WebSocket whose connection the test can cut, as a flaky network would:
 * `cutAfterNextSend` drops the socket right after the next frame leaves, so
 * the server gets the call but the client never sees the answer.
 */
export class CuttableSockets {
  readonly open = new Set<WebSocketLike>();
  /** How many sockets were cut, and opened in all: a cut must be followed by a reconnect. */
  cuts = 0;
  opened = 0;
  private cutNext = false;

  readonly WebSocket: WebSocketConstructor = (() => {
    const sockets = this;
    return class extends (globalThis.WebSocket as unknown as new (url: string) => WebSocketLike) {
      constructor(url: string) {
        super(url);
        sockets.open.add(this);
        sockets.opened++;
        this.addEventListener('close', () => sockets.open.delete(this));
      }
      override send(data: string): void {
        super.send(data);
        if (sockets.cutNext && data.includes('"sendMessage"')) {
          sockets.cutNext = false;
          sockets.cuts++;
          this.close(4999, 'network cut by test');
        }
      }
    } as unknown as WebSocketConstructor;
  })();

  cutAfterNextSend(): void {
    this.cutNext = true;
  }
}

/** One device: an SDK client that records every update it applies, for the history checker. */
export class Device {
  readonly client: EdgegramClient;
  readonly applied: UpdateEnvelope[] = [];
  readonly sockets = new CuttableSockets();

  constructor(
    baseUrl: string,
    readonly name: string,
  ) {
    this.client = new EdgegramClient({
      baseUrl,
      device: { name, platform: 'node' },
      WebSocket: this.sockets.WebSocket,
      backoff: { baseMs: 100, maxMs: 1_000 },
    });
    this.client.on('update', (envelope) => this.applied.push(envelope));
  }

  get userId(): number {
    return this.client.user!.id;
  }

  record(caughtUp: boolean): RecordedDevice {
    return { userId: this.userId, deviceId: this.name, applied: this.applied, caughtUp };
  }

  /** Messages this device saw arrive in `chatId`, in the order it applied them. */
  messagesIn(chatId: number): Message[] {
    return this.applied.flatMap((e) =>
      e.update.type === 'new_message' && e.update.message.chat_id === chatId ? [e.update.message] : [],
    );
  }

  /** Resolves when an applied update satisfies `match` (checks what already arrived first). */
  async until(match: (e: UpdateEnvelope) => boolean, timeoutMs = 15_000): Promise<UpdateEnvelope> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.applied.find(match);
      if (found) return found;
      if (Date.now() > deadline) throw new Error(`${this.name}: no matching update within ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }
}

export async function signUpDevice(baseUrl: string, prefix: string): Promise<Device> {
  const device = new Device(baseUrl, `${prefix}-1`);
  await device.client.signup({ username: uniqueName(prefix), display_name: prefix, password: 'correct horse battery' });
  await device.client.connect();
  return device;
}

export async function secondDevice(baseUrl: string, first: Device, password = 'correct horse battery'): Promise<Device> {
  const device = new Device(baseUrl, first.name.replace(/-1$/, '-2'));
  await device.client.login({ username: first.client.user!.username, password });
  await device.client.connect();
  return device;
}
