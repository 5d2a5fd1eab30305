import { database } from '../../d1/db.js';
import { findAccountById, setPresence } from '../../d1/queries/accounts.js';
import { viewersAllowed } from '../../d1/queries/privacy.js';
import type { User } from '../../protocol/common.js';
import type { EphemeralEvent } from '../../protocol/updates.js';
import type { Env } from '../env.js';
import { mailbox as mailboxStub } from '../stubs.js';
import type { Mailbox } from './mailbox.js';

/**
 * A profile change reaches at most this many chat peers live (those of the
 * most recently active chats first): a bound on one call's fan-out for an
 * account in many large groups, well inside the platform's subrequest limit
 * per invocation (1,000 on the free plan; a call over the socket also spends
 * a few on D1). The rest see it on their next fetch.
 */
export const PROFILE_FANOUT_LIMIT = 500;

/**
 * What this account tells the mailboxes of others, never stored: its
 * presence (to its private-chat peers) and its profile (to its chat peers).
 * Whoever misses a notice reads the current state from D1 with their next
 * getUsers or getDialogs, so there is nothing to keep consistent.
 */
export class PeerNotices {
  constructor(
    private readonly env: Env,
    private readonly logic: Mailbox,
    /** Pushes an event to this account's own sockets. */
    private readonly pushOwn: (event: EphemeralEvent) => void,
  ) {}

  /** Online on the first socket, offline (with last seen) when the last one goes. */
  async presence(online: boolean, at: number): Promise<void> {
    const userId = this.logic.userId;
    const db = database(this.env.DB);
    await setPresence(db, userId, online, at);
    const event: EphemeralEvent = { type: 'user_status', status: { user_id: userId, online, last_seen: at } };
    // Only those this account's "last seen" rule shares it with (privatePeers already leaves out whom it blocked).
    await this.tell(await viewersAllowed(db, userId, this.logic.privatePeers(), 'last_seen'), event);
  }

  /**
   * The "last seen" rule changed: each private-chat peer is told the status
   * it may now see, the real one or none at all (online false, never seen),
   * so a peer who lost it stops showing it at once, not at the next change.
   */
  async presenceRuleChanged(): Promise<void> {
    const userId = this.logic.userId;
    const db = database(this.env.DB);
    const account = await findAccountById(db, userId);
    if (!account) return;
    const peers = this.logic.privatePeers();
    const allowed = new Set(await viewersAllowed(db, userId, peers, 'last_seen'));
    const shown: EphemeralEvent = { type: 'user_status', status: { user_id: userId, online: account.online, last_seen: account.lastSeenAt ?? null } };
    const hidden: EphemeralEvent = { type: 'user_status', status: { user_id: userId, online: false, last_seen: null } };
    await Promise.all([this.tell(peers.filter((p) => allowed.has(p)), shown), this.tell(peers.filter((p) => !allowed.has(p)), hidden)]);
  }

  /**
   * This account's profile changed (updateProfile, already committed to D1):
   * its own devices and the online devices of everyone it shares a chat with
   * get a `user` event. A pts update was not chosen because a name is not
   * chat history (see ARCHITECTURE.md, Accounts).
   */
  async profile(user: User): Promise<void> {
    const event: EphemeralEvent = { type: 'user', user };
    this.pushOwn(event);
    const peers = this.logic.chatPeers(PROFILE_FANOUT_LIMIT);
    if (!user.about && !user.photo) return this.tell(peers, event);
    // The bio and the photo only to those their rules share them with; the rest get the name and username alone.
    const db = database(this.env.DB);
    const withBio = new Set(user.about ? await viewersAllowed(db, user.id, peers, 'bio') : []);
    const withPhoto = new Set(user.photo ? await viewersAllowed(db, user.id, peers, 'profile_photo') : []);
    const { about, photo, ...bare } = user;
    const variants = new Map<string, { user: User; peers: number[] }>();
    for (const peer of peers) {
      const [bio, pic] = [withBio.has(peer), withPhoto.has(peer)];
      const key = `${bio}:${pic}`;
      if (!variants.has(key)) variants.set(key, { user: { ...bare, ...(bio && about ? { about } : {}), ...(pic && photo ? { photo } : {}) }, peers: [] });
      variants.get(key)!.peers.push(peer);
    }
    await Promise.all([...variants.values()].map((v) => this.tell(v.peers, { type: 'user', user: v.user })));
  }

  /** Best effort per peer: one unreachable mailbox must not stop the rest. */
  private async tell(peers: number[], event: EphemeralEvent): Promise<void> {
    await Promise.allSettled(peers.map((peer) => mailboxStub(this.env, peer).pushEvent(peer, event)));
  }
}
