import { beforeEach, describe, expect, it, vi } from 'vitest';
import { ALARM_JOBS_TABLE_SQL, AlarmJobs, JOB_RETRY_MS } from '../../../durable-objects/alarm-jobs.js';
import { MemorySqlStore } from '../../support/memory-sql.js';

type Job = 'outbox' | 'webhook' | 'botfather';

describe('timed jobs on one alarm', () => {
  let store: MemorySqlStore;
  let now: number;
  let alarms: number[];
  const jobs = () => new AlarmJobs<Job>(store, (at) => alarms.push(at), () => now);

  beforeEach(() => {
    store = new MemorySqlStore();
    store.exec(ALARM_JOBS_TABLE_SQL);
    now = 1_000;
    alarms = [];
  });

  it('sets the runtime alarm to the earliest due time of all jobs', () => {
    const scheduler = jobs();
    scheduler.schedule('webhook', 5_000);
    scheduler.schedule('outbox', 3_000);
    scheduler.schedule('botfather', 9_000);
    expect(alarms).toEqual([5_000, 3_000]);
  });

  it('a later wish never postpones an earlier one of the same job', () => {
    const scheduler = jobs();
    scheduler.schedule('outbox', 3_000);
    scheduler.schedule('outbox', 8_000);
    expect(scheduler.dueAt('outbox')).toBe(3_000);
    scheduler.schedule('outbox', 2_000);
    expect(scheduler.dueAt('outbox')).toBe(2_000);
    expect(alarms).toEqual([3_000, 2_000]);
  });

  it('runs only the due jobs, then arms for the next one', async () => {
    const scheduler = jobs();
    scheduler.schedule('outbox', 2_000);
    scheduler.schedule('webhook', 7_000);
    const ran: string[] = [];
    now = 2_500;
    await scheduler.run({ outbox: async () => void ran.push('outbox'), webhook: async () => void ran.push('webhook'), botfather: async () => {} });
    expect(ran).toEqual(['outbox']);
    expect(alarms.at(-1)).toBe(7_000);
    expect(scheduler.dueAt('outbox')).toBeUndefined();
  });

  it('a job may schedule itself again while it runs', async () => {
    const scheduler = jobs();
    scheduler.schedule('outbox', 2_000);
    now = 2_000;
    await scheduler.run({ outbox: async () => scheduler.schedule('outbox', 4_000), webhook: async () => {}, botfather: async () => {} });
    expect(scheduler.dueAt('outbox')).toBe(4_000);
    expect(alarms.at(-1)).toBe(4_000);
  });

  it('survives an eviction: a new instance over the same storage knows what is due', async () => {
    jobs().schedule('webhook', 2_000);
    const ran = vi.fn(async () => {});
    now = 3_000;
    await jobs().run({ outbox: async () => {}, webhook: ran, botfather: async () => {} });
    expect(ran).toHaveBeenCalledTimes(1);
  });

  it('an alarm fired twice runs a job once per due time (the row goes after the run)', async () => {
    const scheduler = jobs();
    scheduler.schedule('outbox', 2_000);
    const ran = vi.fn(async () => {});
    now = 2_000;
    const handlers = { outbox: ran, webhook: async () => {}, botfather: async () => {} };
    await scheduler.run(handlers);
    await scheduler.run(handlers);
    expect(ran).toHaveBeenCalledTimes(1);
  });

  it('a crash in the middle of a job leaves it due, so the next alarm runs it again', async () => {
    jobs().schedule('outbox', 2_000);
    now = 2_000;
    const crashing = jobs();
    // The object dies while the job runs: its promise never settles.
    void crashing.run({ outbox: () => new Promise(() => {}), webhook: async () => {}, botfather: async () => {} });
    const ran = vi.fn(async () => {});
    await jobs().run({ outbox: ran, webhook: async () => {}, botfather: async () => {} });
    expect(ran).toHaveBeenCalledTimes(1);
  });

  it('a job that throws is retried later and does not stop the others', async () => {
    const scheduler = jobs();
    scheduler.schedule('outbox', 2_000);
    scheduler.schedule('webhook', 2_100);
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
    const webhook = vi.fn(async () => {});
    now = 3_000;
    await scheduler.run({ outbox: async () => Promise.reject(new Error('down')), webhook, botfather: async () => {} });
    expect(webhook).toHaveBeenCalledTimes(1);
    expect(scheduler.dueAt('outbox')).toBe(3_000 + JOB_RETRY_MS);
    expect(alarms.at(-1)).toBe(3_000 + JOB_RETRY_MS);
    expect(errors).toHaveBeenCalledTimes(1);
    errors.mockRestore();
  });

  it("a row of a job this code does not know is kept, and once seen never arms the alarm again (no loop on a newer version's job)", async () => {
    store.exec("INSERT INTO alarm_jobs (job, due_at) VALUES ('from-the-future', 500)");
    const scheduler = jobs();
    scheduler.schedule('outbox', 2_000);
    now = 2_000;
    await scheduler.run({ outbox: async () => {}, webhook: async () => {}, botfather: async () => {} });
    scheduler.schedule('webhook', 9_000);
    expect(alarms).toEqual([500, 9_000]);
    expect(store.exec('SELECT job FROM alarm_jobs ORDER BY job')).toEqual([{ job: 'from-the-future' }, { job: 'webhook' }]);
  });
});

describe('an alarm fired early', () => {
  it('runs the earliest job (the runtime fired for it; tests fire alarms at once), not the later ones', async () => {
    const store = new MemorySqlStore();
    store.exec(ALARM_JOBS_TABLE_SQL);
    const scheduler = new AlarmJobs<'a' | 'b'>(store, () => {}, () => 0);
    scheduler.schedule('a', 5_000);
    scheduler.schedule('b', 9_000);
    const ran: string[] = [];
    await scheduler.run({ a: async () => void ran.push('a'), b: async () => void ran.push('b') });
    expect(ran).toEqual(['a']);
  });
});

describe('objects from before the shared scheduler', () => {
  // Their alarm was armed directly, with no job rows: the migration makes
  // their pending work due at once, so the first alarm after a deploy runs it.
  it("a bot's mailbox gets its webhook job due at once; a person's gets none", async () => {
    const { mailboxMigrations } = await import('../../../durable-objects/user-mailbox/migrations.js');
    const { migrate } = await import('../../../durable-objects/sql/migrate.js');
    const before = mailboxMigrations.slice(0, mailboxMigrations.findIndex((m) => m.name === 'timed jobs on the one alarm'));
    const bot = new MemorySqlStore();
    migrate(bot, before);
    bot.exec('INSERT INTO bot_queue (id, bot_id) VALUES (1, 42)');
    migrate(bot, mailboxMigrations);
    expect(bot.exec('SELECT job, due_at FROM alarm_jobs ORDER BY job')).toEqual([
      { job: 'botfather', due_at: 0 },
      { job: 'webhook', due_at: 0 },
    ]);
    const person = new MemorySqlStore();
    migrate(person, before);
    migrate(person, mailboxMigrations);
    expect(person.exec('SELECT job FROM alarm_jobs')).toEqual([]);
  });

  it('a chat room with undelivered outbox rows gets its outbox job due at once', async () => {
    const { chatRoomMigrations } = await import('../../../durable-objects/chat-room/migrations.js');
    const { migrate } = await import('../../../durable-objects/sql/migrate.js');
    const store = new MemorySqlStore();
    migrate(store, chatRoomMigrations.slice(0, chatRoomMigrations.findIndex((m) => m.name === 'timed jobs on the one alarm')));
    store.exec("INSERT INTO outbox (user_id, event_seq, body) VALUES (7, 1, '{}')");
    migrate(store, chatRoomMigrations);
    expect(store.exec('SELECT job, due_at FROM alarm_jobs')).toEqual([{ job: 'outbox', due_at: 0 }]);
  });
});
