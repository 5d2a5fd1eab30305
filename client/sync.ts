import type { MethodResult } from '../protocol/methods.js';
import type { SyncState, UpdateEnvelope } from '../protocol/updates.js';

/**
 * The pts engine: Telegram's gap-free sync rule as pure logic. It performs no
 * I/O; every input returns the effects the caller must carry out, in order.
 *
 * The rule, for an envelope `e` and the local position `pts`:
 * - `pts + e.pts_count === e.pts`: the next update; apply it.
 * - `pts + e.pts_count > e.pts`: already applied (a duplicate, or a replay
 *   that overlaps what we have); ignore it.
 * - `pts + e.pts_count < e.pts`: updates are missing; hold it and ask the
 *   server for the difference from `pts`.
 */
export type SyncEffect =
  /** Hand this envelope to the app; the local pts has moved to `envelope.pts`. */
  | { type: 'apply'; envelope: UpdateEnvelope }
  /** Too much was missed: the app must reload dialogs and history. The local pts is now `state.pts`. */
  | { type: 'tooLong'; state: SyncState }
  /** No position is known yet (a fresh device): call getState, then `receiveState`. */
  | { type: 'getState' }
  /** Call getDifference from this pts, then `receiveDifference`. */
  | { type: 'getDifference'; pts: number };

/**
 * - `idle`: not synced yet; pushes are held.
 * - `fetching`: a getState/getDifference answer is awaited; pushes are held.
 * - `live`: pushes are applied as they come.
 */
export type SyncPhase = 'idle' | 'fetching' | 'live';

export type DifferenceResult = MethodResult<'getDifference'>;

export type Verdict = 'apply' | 'duplicate' | 'gap';

export function classify(localPts: number, envelope: Pick<UpdateEnvelope, 'pts' | 'pts_count'>): Verdict {
  const expected = localPts + envelope.pts_count;
  if (expected === envelope.pts) return 'apply';
  return expected > envelope.pts ? 'duplicate' : 'gap';
}

export class SyncEngine {
  #pts: number | undefined;
  #phase: SyncPhase = 'idle';
  /** Pushes held while fetching; drained in pts order when the fetch is done. */
  #held: UpdateEnvelope[] = [];

  /** @param initialPts a persisted position to resume from; omit on a fresh device. */
  constructor(initialPts?: number) {
    this.#pts = initialPts;
  }

  get pts(): number | undefined {
    return this.#pts;
  }

  get phase(): SyncPhase {
    return this.#phase;
  }

  /** How many pushes are held, waiting for a fetch to finish. */
  get held(): number {
    return this.#held.length;
  }

  /**
   * Starts (or restarts) a sync: at start and after every reconnect, since
   * pushes may have been lost while the socket was down. An answer to an
   * earlier request must not be fed in after this (the caller tracks that).
   */
  resync(): SyncEffect[] {
    this.#phase = 'fetching';
    return [this.#pts === undefined ? { type: 'getState' } : { type: 'getDifference', pts: this.#pts }];
  }

  /** The socket is gone: hold pushes until the next resync, which fetches what was missed. */
  pause(): void {
    this.#phase = 'idle';
  }

  /** Updates pushed by the server. */
  receive(envelopes: readonly UpdateEnvelope[]): SyncEffect[] {
    const effects: SyncEffect[] = [];
    for (const envelope of envelopes) {
      if (this.#phase !== 'live' || this.#pts === undefined) {
        this.#held.push(envelope);
        continue;
      }
      switch (classify(this.#pts, envelope)) {
        case 'apply':
          this.#pts = envelope.pts;
          effects.push({ type: 'apply', envelope });
          break;
        case 'duplicate':
          break;
        case 'gap':
          // Hold this and everything after it; the difference fills the hole.
          this.#held.push(envelope);
          this.#phase = 'fetching';
          effects.push({ type: 'getDifference', pts: this.#pts });
          break;
      }
    }
    return effects;
  }

  /** The answer to getState: a fresh device starts here rather than replaying history. */
  receiveState(state: SyncState): SyncEffect[] {
    if (this.#phase !== 'fetching') return [];
    this.#pts = state.pts;
    return this.#drain();
  }

  receiveDifference(result: DifferenceResult): SyncEffect[] {
    if (this.#phase !== 'fetching') return [];
    const effects: SyncEffect[] = [];
    switch (result.kind) {
      case 'empty':
        this.#pts = Math.max(this.#pts ?? 0, result.state.pts);
        break;
      case 'too_long':
        // The server's position is authoritative here, even if it is behind ours.
        this.#pts = result.state.pts;
        effects.push({ type: 'tooLong', state: result.state });
        break;
      case 'difference': {
        let pts = this.#pts ?? 0;
        for (const envelope of result.updates) {
          // The server's list is authoritative and gap-free by construction;
          // only skip what we already hold.
          if (classify(pts, envelope) === 'duplicate') continue;
          pts = envelope.pts;
          effects.push({ type: 'apply', envelope });
        }
        this.#pts = Math.max(pts, result.state.pts);
        if (result.more) {
          effects.push({ type: 'getDifference', pts: this.#pts });
          return effects;
        }
        break;
      }
    }
    return [...effects, ...this.#drain()];
  }

  /** Goes live and replays held pushes in pts order; a remaining gap starts another fetch. */
  #drain(): SyncEffect[] {
    const held = this.#held.sort((a, b) => a.pts - b.pts);
    this.#held = [];
    this.#phase = 'live';
    return this.receive(held);
  }
}
