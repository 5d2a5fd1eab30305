import type { SqlStore } from '../sql/store.js';

/** Long enough to open a socket right after asking; short enough that a leaked URL is useless. */
export const TICKET_LIFETIME_MS = 30_000;

/**
 * The mailbox's half of a connect ticket (workers/auth/connect-tickets.ts):
 * a ticket's nonce is spent here, once, and a session that ended (logout,
 * terminate) after its ticket was minted is refused here. Both are kept
 * only as long as a ticket can live, in the mailbox's own storage, so they
 * survive eviction and a restart. The tables come with the mailbox's
 * migrations.
 */
export class ConnectGate {
  constructor(
    private readonly store: SqlStore,
    /** How long a ticket lives: rows older than this can no longer matter. */
    private readonly ticketLifetimeMs: number,
  ) {}

  /** Spends the nonce; false if it was spent before or the session has ended. */
  admit(ticket: { nonce: string; expiresAt: number; sessionId: string }, now: number): boolean {
    return this.store.transaction(() => {
      this.prune(now);
      const ended = this.store.exec('SELECT 1 FROM ended_sessions WHERE session_id = ?', ticket.sessionId);
      if (ended.length > 0) return false;
      const spent = this.store.exec(
        'INSERT INTO spent_tickets (nonce, expires_at) VALUES (?, ?) ON CONFLICT (nonce) DO NOTHING RETURNING nonce',
        ticket.nonce,
        ticket.expiresAt,
      );
      return spent.length === 1;
    });
  }

  /** Called when sessions end, before their sockets are closed. */
  sessionsEnded(sessionIds: readonly string[], now: number): void {
    this.store.transaction(() => {
      for (const id of sessionIds) {
        this.store.exec(
          'INSERT INTO ended_sessions (session_id, ended_at) VALUES (?, ?) ON CONFLICT (session_id) DO UPDATE SET ended_at = excluded.ended_at',
          id,
          now,
        );
      }
    });
  }

  private prune(now: number): void {
    this.store.exec('DELETE FROM spent_tickets WHERE expires_at <= ?', now);
    this.store.exec('DELETE FROM ended_sessions WHERE ended_at <= ?', now - this.ticketLifetimeMs);
  }
}
