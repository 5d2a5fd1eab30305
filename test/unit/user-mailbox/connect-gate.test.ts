import { describe, expect, test } from 'vitest';
import { ConnectGate } from '../../../durable-objects/user-mailbox/connect-gate.js';
import { mailboxMigrations } from '../../../durable-objects/user-mailbox/migrations.js';
import { migrate } from '../../../durable-objects/sql/migrate.js';
import { MemorySqlStore } from '../../support/memory-sql.js';

const LIFETIME = 30_000;

function gate() {
  const store = new MemorySqlStore();
  migrate(store, mailboxMigrations);
  return { store, gate: new ConnectGate(store, LIFETIME) };
}

const ticket = (nonce: string, expiresAt = 10_000 + LIFETIME, sessionId = 's1') => ({ nonce, expiresAt, sessionId });

describe('the mailbox side of a connect ticket', () => {
  test('a nonce is admitted once; another nonce of the same session still is', () => {
    const { gate: g } = gate();
    expect(g.admit(ticket('n1'), 10_000)).toBe(true);
    expect(g.admit(ticket('n1'), 10_001)).toBe(false);
    expect(g.admit(ticket('n2'), 10_002)).toBe(true);
  });

  test('a session that ended refuses its unused tickets, other sessions are unaffected', () => {
    const { gate: g } = gate();
    g.sessionsEnded(['s1'], 10_000);
    expect(g.admit(ticket('n1', 40_000, 's1'), 10_001)).toBe(false);
    expect(g.admit(ticket('n2', 40_000, 's2'), 10_001)).toBe(true);
  });

  test('what can no longer matter is pruned: spent nonces once expired, ended sessions after a ticket lifetime', () => {
    const { store, gate: g } = gate();
    g.admit(ticket('n1', 20_000), 10_000);
    g.sessionsEnded(['gone'], 10_000);
    g.admit(ticket('n2', 60_000, 's2'), 10_000 + LIFETIME + 1);
    expect(store.exec('SELECT nonce FROM spent_tickets')).toEqual([{ nonce: 'n2' }]);
    expect(store.exec('SELECT session_id FROM ended_sessions')).toEqual([]);
  });
});
