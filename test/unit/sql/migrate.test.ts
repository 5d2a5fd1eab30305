import { describe, expect, test } from 'vitest';
import { migrate } from '../../../durable-objects/sql/migrate.js';
import { MemorySqlStore } from '../../support/memory-sql.js';

describe('DO migrations', () => {
  const v1 = [{ name: 'one', sql: 'CREATE TABLE a (x INTEGER);' }];
  const v2 = [...v1, { name: 'two', sql: 'CREATE TABLE b (y INTEGER);\nCREATE INDEX b_y ON b (y);' }];

  test('applies only the migrations not yet applied, in order', () => {
    const store = new MemorySqlStore();
    migrate(store, v1);
    migrate(store, v2);
    migrate(store, v2);
    expect(store.exec('SELECT name FROM _migrations ORDER BY idx')).toEqual([{ name: 'one' }, { name: 'two' }]);
    store.exec('INSERT INTO b (y) VALUES (1)');
  });

  test('refuses storage migrated by newer code', () => {
    const store = new MemorySqlStore();
    migrate(store, v2);
    expect(() => migrate(store, v1)).toThrow(/storage has 2 migrations, code knows 1/);
  });

  test('refuses a history that was edited instead of appended to', () => {
    const store = new MemorySqlStore();
    migrate(store, v1);
    expect(() => migrate(store, [{ name: 'renamed', sql: 'SELECT 1;' }])).toThrow(/migration 0/);
  });
});
