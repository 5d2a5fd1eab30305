import { ClientError } from '../../../client/errors.js';
import { MemorySyncStore, SyncRunner, type SyncRunnerDeps } from '../../../client/sync-runner.js';
import type { Mailbox } from '../../../durable-objects/user-mailbox/mailbox.js';
import type { UpdateEnvelope } from '../../../protocol/updates.js';
import type { RecordedDevice } from '../../support/history-checker.js';

type Request = {
  method: 'getState' | 'getDifference';
  pts: number;
  resolve: (result: unknown) => void;
  reject: (err: Error) => void;
};
/** What travels down one socket, in order: pushes, and answers to the device's calls. */
type Frame = { kind: 'push'; envelopes: UpdateEnvelope[] } | { kind: 'answer'; request: Request; settle: () => void };

/** Lets promise continuations (the SyncRunner's awaits) run, as between two socket frames. */
export async function flush(turns = 20): Promise<void> {
  for (let i = 0; i < turns; i++) await Promise.resolve();
}

/**
 * One device of an account: the SDK's real SyncRunner (and its SyncEngine)
 * behind a modelled socket to the account's mailbox. Requests wait until the
 * model lets the mailbox answer them (`serve`); answers and pushes then wait,
 * in socket order, until the model lets the device read them (`receive`). A
 * disconnect loses everything on the wire, exactly like a dropped WebSocket.
 */
export class ModelDevice {
  readonly applied: UpdateEnvelope[] = [];
  /** Sync failures the client would report ('error' event); a correct run has none. */
  readonly errors: string[] = [];
  online = false;
  /** Lose the next push to this device (a frame the network ate). */
  dropNextPush = false;
  private readonly runner: SyncRunner;
  private outbound: Request[] = [];
  private inbound: Frame[] = [];
  /** Requests whose promise is unsettled: rejected on disconnect, as the SDK's Rpc.close() does. */
  private readonly unsettled = new Set<Request>();

  constructor(
    readonly userId: number,
    readonly deviceId: string,
    private readonly mailbox: Mailbox,
    private readonly pageSize: number,
  ) {
    const deps: SyncRunnerDeps = {
      call: ((method: Request['method'], params: { pts?: number }) => this.call(method, params.pts ?? 0)) as SyncRunnerDeps['call'],
      // Present from the start: it replays the account's whole log from pts 0.
      store: new MemorySyncStore(0),
      apply: (envelope) => this.applied.push(envelope),
      tooLong: (state) => this.errors.push(`too_long at ${state.pts}`),
      phase: () => {},
      fail: (err) => this.errors.push(`sync failed: ${err.message}`),
    };
    this.runner = new SyncRunner(deps);
  }

  get pts(): number | undefined {
    return this.runner.engine.pts;
  }

  /** In sync as far as it knows: connected, nothing on the wire, the engine live. */
  get quiet(): boolean {
    return this.online && this.outbound.length === 0 && this.inbound.length === 0 && this.runner.engine.phase === 'live';
  }

  get busy(): boolean {
    return this.outbound.length > 0 || this.inbound.length > 0;
  }

  connect(): void {
    if (this.online) return;
    this.online = true;
    this.runner.start(); // after hello: getDifference from the saved pts
  }

  disconnect(): void {
    if (!this.online) return;
    this.online = false;
    this.runner.stop();
    this.outbound = [];
    this.inbound = [];
    for (const request of this.unsettled) request.reject(new ClientError('DISCONNECTED', 'socket dropped'));
    this.unsettled.clear();
  }

  /** A sync on a live socket, as after a gap: resync from the current pts. */
  sync(): void {
    if (this.online) this.runner.start();
  }

  /** The mailbox pushes newly appended updates to every open socket. */
  push(envelopes: UpdateEnvelope[]): void {
    if (!this.online) return;
    if (this.dropNextPush) {
      this.dropNextPush = false;
      return;
    }
    this.inbound.push({ kind: 'push', envelopes });
  }

  /** The mailbox answers the oldest request; the answer joins the socket's queue behind earlier pushes. */
  serve(): void {
    const request = this.outbound.shift();
    if (!request) return;
    let settle: () => void;
    try {
      const result =
        request.method === 'getState' ? this.mailbox.state() : this.mailbox.getDifference(request.pts, this.pageSize);
      settle = () => request.resolve(result);
    } catch (err) {
      settle = () => request.reject(err as Error);
    }
    this.inbound.push({ kind: 'answer', request, settle });
  }

  /** The device reads up to `frames` frames, letting the SDK react to each before the next. */
  async receive(frames: number): Promise<void> {
    for (let i = 0; i < frames; i++) {
      const frame = this.inbound.shift();
      if (!frame) return;
      if (frame.kind === 'push') this.runner.push(frame.envelopes);
      else {
        this.unsettled.delete(frame.request);
        frame.settle();
      }
      await flush();
    }
  }

  /** Serves and reads until nothing is left on the wire. */
  async pump(): Promise<void> {
    while (this.busy) {
      while (this.outbound.length > 0) this.serve();
      await this.receive(this.inbound.length);
      await flush();
    }
  }

  record(): RecordedDevice {
    return { userId: this.userId, deviceId: this.deviceId, applied: this.applied, caughtUp: true };
  }

  private call(method: Request['method'], pts: number): Promise<unknown> {
    return new Promise((resolve, reject) => {
      const request: Request = { method, pts, resolve, reject };
      if (!this.online) return reject(new ClientError('DISCONNECTED', 'no socket'));
      this.unsettled.add(request);
      this.outbound.push(request);
    });
  }
}
