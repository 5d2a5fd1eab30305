import { computed, signal, type Signal } from '@preact/signals';
import type { ConnectionState, EdgegramClient } from '../../../client/index.js';

/** What the connection banner says. */
export type ConnectionView = 'waiting-for-network' | 'connecting' | 'updating' | 'online';

/**
 * The SDK's connection state, plus the browser's own word on the network.
 * When the browser goes offline the socket is closed at once instead of
 * waiting for the SDK's ping timeout (Chromium keeps a WebSocket open
 * across an offline period); calls and sends made meanwhile wait in the SDK
 * and go out when the browser is back online and the socket reconnects.
 */
export class Connection {
  readonly state: Signal<ConnectionState>;
  readonly networkUp = signal(navigator.onLine);
  readonly view = computed<ConnectionView>(() => {
    if (!this.networkUp.value) return 'waiting-for-network';
    switch (this.state.value) {
      case 'online':
        return 'online';
      case 'updating':
        return 'updating';
      case 'connecting':
      case 'offline':
      case 'terminated':
        return 'connecting';
    }
  });
  readonly #offs: Array<() => void> = [];

  constructor(private readonly client: EdgegramClient) {
    this.state = signal(client.state);
  }

  start(): void {
    this.#offs.push(this.client.on('state', (state) => (this.state.value = state)));
    const offline = () => {
      this.networkUp.value = false;
      this.client.disconnect();
    };
    const online = () => {
      this.networkUp.value = true;
      this.#connect();
    };
    window.addEventListener('offline', offline);
    window.addEventListener('online', online);
    this.#offs.push(() => {
      window.removeEventListener('offline', offline);
      window.removeEventListener('online', online);
    });
    if (this.networkUp.peek()) this.#connect();
  }

  dispose(): void {
    for (const off of this.#offs.splice(0)) off();
    this.client.disconnect();
  }

  #connect(): void {
    // Failures surface as 'state' changes and the session's 'terminated' handler.
    this.client.connect().catch(() => {});
  }
}
