/**
 * The queries a large chat runs on every message or membership change must
 * not scan its members: the functions' own SQL, planned by SQLite on the
 * room's real schema.
 */
import { describe, expect, it } from 'vitest';
import type { SqlStore } from '../../../durable-objects/sql/store.js';
import { botMemberRows, managerRows } from '../../../durable-objects/chat-room/state.js';
import { setup } from './harness.js';

/** The plan of every statement `read` runs. */
function plansOf(read: (store: SqlStore) => unknown): string[] {
  const t = setup();
  const seen: string[] = [];
  const recording: SqlStore = {
    exec: (query, ...params) => {
      seen.push(query);
      return t.store.exec(query, ...params);
    },
    transaction: (fn) => t.store.transaction(fn),
  };
  read(recording);
  return seen.map((q) =>
    (t.store.db.prepare(`EXPLAIN QUERY PLAN ${q}`).all() as { detail: string }[]).map((r) => r.detail).join(' | '),
  );
}

describe('query plans of large chats', () => {
  it('bot members are found through bot_members, never by scanning members', () => {
    const [p] = plansOf(botMemberRows);
    expect(p).toMatch(/SCAN b\b/);
    expect(p).not.toMatch(/SCAN m\b/);
  });

  it('the creator and admins come from their index', () => {
    const [p] = plansOf(managerRows);
    expect(p).toMatch(/USING INDEX members_managers/);
  });
});
