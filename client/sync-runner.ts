import { EdgegramError, ErrorCode } from '../protocol/errors.js';
import type { MethodInput, MethodResult } from '../protocol/methods.js';
import type { SyncState, UpdateEnvelope } from '../protocol/updates.js';
import { ClientError } from './errors.js';
import { SyncEngine, type DifferenceResult, type SyncEffect } from './sync.js';

/**
 * Where a device keeps its pts between runs, so it resumes where it left off
 * instead of starting from the server's current state. Keep one store per
 * account and device.
 */
export interface SyncStore {
  load(): number | undefined;
  save(pts: number): void;
}

export class MemorySyncStore implements SyncStore {
  constructor(private pts?: number) {}
  load(): number | undefined {
    return this.pts;
  }
  save(pts: number): void {
    this.pts = pts;
  }
}

type SyncMethod = 'getState' | 'getDifference';

export interface SyncRunnerDeps {
  call<M extends SyncMethod>(method: M, params: MethodInput<M>): Promise<MethodResult<M>>;
  store: SyncStore;
  apply(envelope: UpdateEnvelope): void;
  tooLong(state: SyncState): void;
  /** `updating` while a fetch runs, `online` when live. */
  phase(phase: 'updating' | 'online'): void;
  /** A sync call failed for a reason a resync on a fresh socket may cure. */
  fail(error: Error): void;
}

/**
 * Carries out the engine's effects over RPC. A generation number ties each
 * request to the socket it was made on: after a reconnect (or a stop) the
 * answers to older requests are ignored, because a fresh resync has begun.
 */
export class SyncRunner {
  readonly engine: SyncEngine;
  #generation = 0;
  #saved: number | undefined;

  constructor(private readonly deps: SyncRunnerDeps) {
    this.#saved = deps.store.load();
    this.engine = new SyncEngine(this.#saved);
  }

  /** After every hello: fetch what was missed while no socket was open. */
  start(): void {
    const generation = ++this.#generation;
    this.#run(this.engine.resync(), generation);
  }

  /** The socket is gone: answers still in flight belong to the past. */
  stop(): void {
    this.#generation++;
    this.engine.pause();
  }

  push(envelopes: readonly UpdateEnvelope[]): void {
    this.#run(this.engine.receive(envelopes), this.#generation);
  }

  #run(effects: SyncEffect[], generation: number): void {
    for (const effect of effects) {
      switch (effect.type) {
        case 'apply':
          this.deps.apply(effect.envelope);
          break;
        case 'tooLong':
          this.deps.tooLong(effect.state);
          break;
        case 'getState':
          void this.#fetchState(generation);
          break;
        case 'getDifference':
          void this.#fetchDifference(effect.pts, generation);
          break;
      }
    }
    // Saved after the listeners ran, so a crash replays rather than skips.
    const pts = this.engine.pts;
    if (pts !== undefined && pts !== this.#saved) {
      this.#saved = pts;
      this.deps.store.save(pts);
    }
    this.deps.phase(this.engine.phase === 'live' ? 'online' : 'updating');
  }

  async #fetchState(generation: number): Promise<void> {
    const state = await this.#request(() => this.deps.call('getState', {}), generation);
    if (state) this.#run(this.engine.receiveState(state), generation);
  }

  async #fetchDifference(pts: number, generation: number): Promise<void> {
    let result: DifferenceResult | undefined;
    try {
      result = await this.#request(() => this.deps.call('getDifference', { pts }), generation, true);
    } catch {
      // The server is behind the position we hold (e.g. restored from a
      // backup): our local state cannot be trusted, so reload as if too long.
      const state = await this.#request(() => this.deps.call('getState', {}), generation);
      if (state) result = { kind: 'too_long', state };
    }
    if (result) this.#run(this.engine.receiveDifference(result), generation);
  }

  /**
   * Runs a sync call; undefined if it is stale or failed (failures are
   * reported). With `throwPtsInvalid`, PTS_INVALID is thrown to the caller.
   */
  async #request<T>(request: () => Promise<T>, generation: number, throwPtsInvalid = false): Promise<T | undefined> {
    try {
      const result = await request();
      return generation === this.#generation ? result : undefined;
    } catch (error) {
      if (generation !== this.#generation) return undefined;
      if (throwPtsInvalid && error instanceof EdgegramError && error.code === ErrorCode.PTS_INVALID) throw error;
      // A drop or a close already restarts (or ends) sync on its own.
      if (error instanceof ClientError && (error.code === 'DISCONNECTED' || error.code === 'CLOSED')) return undefined;
      this.deps.fail(error instanceof Error ? error : new Error(String(error)));
      return undefined;
    }
  }
}
