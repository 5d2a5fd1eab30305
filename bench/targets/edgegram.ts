import { tagsIn, type Tracker } from '../generator/tracker.js';
import { ApiError, Device, EdgegramHttp } from '../lib/lean-client.js';
import { summarize } from '../lib/stats.js';
import { TargetName } from '../lib/types.js';
import { expectedDeliveries, inParallel, newSocketId, type Chat, type ChatSpec, type Sock, type Target } from './target.js';

const IDLE_CONNECT_ATTEMPTS = 3;

/** One signed-up account of the pool; `tokens[k]` is its k-th session (device). */
export type PoolAccount = { index: number; username: string; userId: number; tokens: string[] };

/** A connected device and the id the Tracker knows it by. */
export type OpenDevice = { id: number; account: PoolAccount; device: Device };

/**
 * Edgegram through the lean client. Accounts are signed up once (real
 * sign-ups, scrypt included) and reused by every scenario; chats are real
 * private chats (2 members) or basic groups.
 */
export class EdgegramTarget implements Target {
  readonly name = TargetName.edgegram;
  readonly http: EdgegramHttp;
  readonly accounts: PoolAccount[] = [];
  private cursor = 0;
  private open: OpenDevice[] = [];
  /** The one shared connection per account (many small chats). */
  private shared = new Map<number, Promise<OpenDevice>>();
  private logins = 0;
  /** The seeded owners of the idle connections (see openIdle). */
  private idleOwners: PoolAccount[] | undefined;
  /** Idle connects that failed and were tried again (see openIdle). */
  connectRetries = 0;
  /** Idle connects that failed every attempt. */
  connectFailures = 0;

  constructor(
    url: string,
    private readonly tracker: Tracker,
    private readonly prefix: string,
    private readonly accountCount: number,
  ) {
    this.http = new EdgegramHttp(url);
  }

  /**
   * Signs up the pool. Sign-ups are limited to 20 per IP per hour, so each one
   * comes from its own CF-Connecting-IP (the local server trusts that header).
   */
  async prepare(): Promise<Record<string, number>> {
    const started = performance.now();
    const times: number[] = [];
    const made = await inParallel(Array.from({ length: this.accountCount }, (_, i) => i), 2, async (i) => {
      const username = `${this.prefix}user${i}`;
      const t0 = performance.now();
      const { userId, token } = await this.http.signup(username, `10.77.${i >> 8}.${i & 255}`);
      times.push(performance.now() - t0);
      return { index: i, username, userId, tokens: [token] };
    });
    this.accounts.push(...made);
    return {
      accounts: made.length,
      signupSeconds: (performance.now() - started) / 1000,
      signupMsMedian: summarize(times).median,
    };
  }

  /** The next `n` accounts, round-robin over the pool (disjoint while n fits). */
  take(n: number): PoolAccount[] {
    if (n > this.accounts.length) throw new Error(`need ${n} accounts, the pool has ${this.accounts.length}`);
    return Array.from({ length: n }, () => this.accounts[this.cursor++ % this.accounts.length]!);
  }

  /** A connected device of `account` on its `session`-th session; its pushes go to the Tracker. */
  async connect(account: PoolAccount, session = 0): Promise<OpenDevice> {
    while (account.tokens.length <= session) {
      const n = ++this.logins;
      account.tokens.push(await this.http.login(account.username, `10.78.${n >> 8}.${n & 255}`));
    }
    const device = await Device.connect(this.http, account.tokens[session]!);
    const open: OpenDevice = { id: newSocketId(), account, device };
    const { tracker, prefix } = this;
    device.onUpdates = (raw, at) => {
      for (const tag of tagsIn(raw, prefix)) tracker.delivered(tag, open.id, at);
    };
    this.open.push(open);
    return open;
  }

  async openChat(spec: ChatSpec): Promise<Chat> {
    const accounts = spec.memberIds ? spec.memberIds.map((i) => this.accounts[i % this.accounts.length]!) : this.take(spec.devices.length);
    const chatId = await this.createChat(accounts);
    const devices = await inParallel(accounts, 16, async (account, i) => {
      if (spec.shared) return [await this.sharedDevice(account)];
      return inParallel(Array.from({ length: spec.devices[i]! }, (_, k) => k), 4, (k) => this.connect(account, k));
    });
    const members: Sock[][] = devices.map((list) => list.map((d) => this.sockFor(d, chatId)));
    return { members, expectedFrom: (sender) => expectedDeliveries(members, sender) };
  }

  /**
   * Idle sockets over `owners` mailboxes. Edgegram holds one session (a
   * device) to 16 sockets and one account to 64 (connections.ts), so the
   * owners are seeded accounts, each with a ready session (no password
   * hashing), made once for the run: sockets go round-robin over them.
   */
  async openIdle(n: number, owners: number): Promise<Sock[]> {
    if (this.idleOwners === undefined) {
      const { sessions } = await this.seedLargeChat(owners - 1, owners);
      this.idleOwners = sessions.map((session) => ({ index: -session.user_id, username: `seeded${session.user_id}`, userId: session.user_id, tokens: [session.token] }));
    }
    const accounts = this.idleOwners;
    // A connect that fails (a ticket POST or upgrade refused mid-storm) is
    // retried, up to IDLE_CONNECT_ATTEMPTS (counted in connectRetries); one
    // that never succeeds is counted in connectFailures and left out, rather
    // than failing the step while the other connects go on in the background.
    const opened = await inParallel(Array.from({ length: n }, (_, i) => i), 32, async (i) => {
      for (let attempt = 1; ; attempt++) {
        try {
          return await this.connect(accounts[i % accounts.length]!);
        } catch {
          if (attempt >= IDLE_CONNECT_ATTEMPTS) {
            this.connectFailures++;
            return null;
          }
          this.connectRetries++;
          await new Promise((r) => setTimeout(r, 200 * attempt));
        }
      }
    });
    return opened.filter((d): d is OpenDevice => d !== null).map((d) => this.sockFor(d, 0));
  }

  async closeAll(): Promise<void> {
    const closing = this.open;
    this.open = [];
    this.shared.clear();
    await Promise.all(closing.map((d) => d.device.close()));
  }

  /** A private chat for two accounts (created by its first message), a basic group otherwise. */
  private async createChat(accounts: PoolAccount[]): Promise<number> {
    const [first, ...others] = accounts;
    if (!first) throw new Error('a chat needs members');
    if (others.length === 1) {
      const r = await this.http.call<{ message: { chat_id: number } }>(first.tokens[0]!, 'sendMessage', {
        peer: { user_id: others[0]!.userId },
        random_id: `setup${newSocketId()}`,
        text: 'setup',
      });
      return r.message.chat_id;
    }
    const r = await this.http.call<{ chat: { id: number } }>(first.tokens[0]!, 'createGroup', {
      title: `bench ${accounts.length}`,
      user_ids: others.map((a) => a.userId),
    });
    return r.chat.id;
  }

  private sharedDevice(account: PoolAccount): Promise<OpenDevice> {
    let opened = this.shared.get(account.index);
    if (!opened) this.shared.set(account.index, (opened = this.connect(account)));
    return opened;
  }

  /**
   * A supergroup of `members` + 1 (its creator) seeded in bulk through the
   * local-only route, with sessions for its first `sessions` members.
   */
  async seedLargeChat(members: number, sessions: number): Promise<{ chatId: number; sessions: { user_id: number; token: string }[] }> {
    const res = await fetch(`${this.http.base}/v1/dev/seed-chat`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ kind: 'supergroup', title: `bench ${members + 1}`, members, sessions }),
    });
    if (!res.ok) throw new Error(`seeding failed: ${res.status} ${await res.text()}`);
    const body = (await res.json()) as { chat_id: number; sessions: { user_id: number; token: string }[] };
    return { chatId: body.chat_id, sessions: body.sessions };
  }

  /** SQLite rows every object has written (the local-only route; see durable-objects/sql/store.ts). */
  async sqlRowsWritten(): Promise<number> {
    const res = await fetch(`${this.http.base}/v1/dev/sql-writes`);
    if (!res.ok) throw new Error(`sql-writes failed: ${res.status} ${await res.text()}`);
    return ((await res.json()) as { rows_written: number }).rows_written;
  }

  /** The room's work figures since the last reset (the local-only route; see chat-room/work-meter.ts). */
  async chatWork(chatId: number, reset: boolean): Promise<{ commits: number; maxRows: number; maxCalls: number; maxShardPushes: number }> {
    const res = await fetch(`${this.http.base}/v1/dev/chat-work`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ chat_id: chatId, reset }),
    });
    if (!res.ok) throw new Error(`chat-work failed: ${res.status} ${await res.text()}`);
    return (await res.json()) as { commits: number; maxRows: number; maxCalls: number; maxShardPushes: number };
  }

  /** A device on a seeded session, its pushes reported to the Tracker, as a Sock of `chatId`. */
  async connectSeeded(session: { user_id: number; token: string }, chatId: number): Promise<{ sock: Sock; device: Device }> {
    const account: PoolAccount = { index: -session.user_id, username: `seeded${session.user_id}`, userId: session.user_id, tokens: [session.token] };
    const open = await this.connect(account);
    return { sock: this.sockFor(open, chatId), device: open.device };
  }

  private sockFor(open: OpenDevice, chatId: number): Sock {
    const { tracker } = this;
    return {
      id: open.id,
      send(tag) {
        open.device
          .call('sendMessage', { peer: { chat_id: chatId }, random_id: tag, text: tag }, tag)
          .then(
            () => tracker.acked(tag),
            (err: unknown) => tracker.failed(tag, err instanceof ApiError ? err.code : 'SEND_FAILED'),
          );
      },
      close: () => void open.device.close(),
    };
  }
}
