import { signal } from '@preact/signals';
import type { EdgegramClient } from '../../../client/index.js';
import type { User } from '../../../protocol/common.js';
import type { Message } from '../../../protocol/messages.js';
import type { MethodInput } from '../../../protocol/methods.js';
import { Connection } from './connection.js';
import { Dialogs } from './dialogs.js';
import { FileUrls } from './file-urls.js';
import { Histories } from './history.js';
import { Outbox, type OutgoingMessage } from './outbox.js';
import { PostViews } from './post-views.js';
import { ReadReceipts } from './read-receipts.js';
import { TopicLists } from './forum-topics.js';
import { openChat, route } from './route.js';
import { Typing } from './typing.js';
import { Users } from './users.js';

/**
 * The signed-in app's state: small stores over the SDK, fed by its events.
 * Components read the stores' signals and call the SDK (or a store) to act.
 */
export class Messenger {
  readonly users: Users;
  readonly dialogs: Dialogs;
  readonly histories: Histories;
  readonly outbox: Outbox;
  readonly typing: Typing;
  readonly connection: Connection;
  readonly reads: ReadReceipts;
  readonly views: PostViews;
  readonly files: FileUrls;
  readonly topics: TopicLists;
  readonly me = signal<User>(undefined as unknown as User);
  readonly #offs: Array<() => void> = [];

  /**
   * @param onMe called when this account's own profile changes (here or on
   *   another device), so the session can remember it across reloads.
   */
  constructor(
    readonly client: EdgegramClient,
    me: User,
    private readonly onMe: (user: User) => void = () => {},
  ) {
    this.me.value = me;
    this.users = new Users(client);
    this.users.add([me]);
    this.dialogs = new Dialogs(client, this.users, me.id);
    this.histories = new Histories(client);
    this.outbox = new Outbox(client, (message, item) => this.#onSent(message, item));
    // Channels show nobody typing (posts are the channel's), so nothing is sent there; supergroups
    // relay it, aggregated per chat by the server.
    this.typing = new Typing(client, me.id, (chatId) => this.dialogs.get(chatId)?.chat.kind !== 'channel');
    this.connection = new Connection(client);
    this.topics = new TopicLists(client);
    this.reads = new ReadReceipts(client, this.dialogs, (chatId) => this.topics.touched(chatId));
    this.views = new PostViews(client, this.histories);
    this.files = new FileUrls(client);
  }

  get myId(): number {
    return this.me.peek().id;
  }

  start(): void {
    const { client } = this;
    this.#offs.push(
      client.on('message', (m) => this.#onMessage(m)),
      client.on('edit', (m) => {
        for (const h of this.histories.forChat(m.chat_id)) h.onEdit(m);
        this.dialogs.onEdit(m);
      }),
      client.on('delete', (u) => {
        for (const h of this.histories.forChat(u.chat_id)) h.onDelete(u.ids);
        this.dialogs.onDelete(u);
      }),
      client.on('read', (u) => this.dialogs.onRead(u)),
      client.on('reactions', (u) => {
        for (const h of this.histories.forChat(u.chat_id)) h.onReactions(u, this.myId);
      }),
      client.on('chat', (u) => this.dialogs.onChat(u)),
      client.on('forumTopic', (u) => {
        if (u.deleted) for (const h of this.histories.forChat(u.chat_id)) h.onTopicDeleted(u.topic.id);
        this.topics.touched(u.chat_id);
      }),
      client.on('typing', (e) => this.typing.onEvent(e)),
      client.on('status', (s) => this.users.setStatus(s)),
      client.on('messageRequest', (e) => this.dialogs.setRequest(e.chat_id, e.is_request)),
      client.on('user', (u) => {
        this.users.onProfile(u);
        if (u.id === this.myId) this.#setMe(u);
      }),
      client.on('tooLong', () => {
        void this.dialogs.load();
        this.histories.resetAll();
      }),
      // A supergroup's or channel's updates come through the SDK's per-chat sync as the
      // events above; when that sync gave up on replaying, only this chat reloads.
      client.on('channelTooLong', ({ chat_id }) => {
        this.histories.resetChat(chat_id);
        this.dialogs.scheduleRefresh();
      }),
      client.on('state', (state) => {
        if (state === 'online') this.#onOnline();
      }),
    );
    this.connection.start();
    void client.me().then(
      (user) => this.#setMe(user),
      () => {},
    );
  }

  /**
   * Changes this account's profile. The server also pushes the new profile
   * to every device (this one included) and to the people who share a chat
   * with it; applying the answer at once just spares the wait for that echo.
   */
  async updateProfile(changes: MethodInput<'updateProfile'>): Promise<User> {
    const user = await this.client.updateProfile(changes);
    this.#setMe(user);
    return user;
  }

  /** Reads this account's profile again (after a photo change: the `user` event says the same a moment later). */
  async refreshMe(): Promise<void> {
    this.#setMe(await this.client.me());
  }

  #setMe(user: User): void {
    this.users.add([user]);
    const known = this.me.peek();
    if (
      known.display_name === user.display_name &&
      known.username === user.username &&
      known.about === user.about &&
      known.photo?.id === user.photo?.id
    ) {
      return;
    }
    this.me.value = user;
    this.onMe(user);
  }

  dispose(): void {
    for (const off of this.#offs.splice(0)) off();
    this.outbox.dispose();
    this.typing.dispose();
    this.reads.dispose();
    this.views.dispose();
    this.dialogs.dispose();
    this.connection.dispose();
    this.files.dispose();
    this.topics.dispose();
  }

  #onOnline(): void {
    if (!this.dialogs.loaded.peek()) void this.dialogs.load();
    for (const history of this.histories.all()) void history.retry();
  }

  #onMessage(message: Message): void {
    if (message.random_id) this.outbox.settle(message.random_id);
    if (message.sender_id !== null) this.typing.clear(message.chat_id, message.sender_id);
    for (const h of this.histories.forChat(message.chat_id)) h.onMessage(message);
    this.dialogs.onMessage(message);
    if (message.message_thread_id !== undefined) this.topics.touched(message.chat_id);
    if (message.sender_id !== null) this.users.ensure([message.sender_id]);
  }

  /** The ack can arrive before the sync event: show the stored message at once. */
  #onSent(message: Message, item: OutgoingMessage): void {
    for (const h of this.histories.forChat(message.chat_id)) h.onMessage(message);
    this.dialogs.onMessage(message);
    // A first message to a user created the private chat: move the view to it.
    const current = route.peek();
    if (item.key.startsWith('user:') && current.kind === 'user' && `user:${current.userId}` === item.key) {
      openChat(message.chat_id, { replace: true });
    }
  }
}
