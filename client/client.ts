import type { DataExport } from '../protocol/account-lifecycle.js';
import type { DeviceInfo, User } from '../protocol/common.js';
import { EdgegramError, ErrorCode } from '../protocol/errors.js';
import type { AuthResult } from '../protocol/http/auth.js';
import type { SessionList, TerminateOthersResult } from '../protocol/http/sessions.js';
import type {
  Passkey,
  PasskeyAuthenticationResponse,
  PasskeyCreationOptions,
  PasskeyRegistrationResponse,
  PasskeyRequestOptions,
} from '../protocol/http/passkeys.js';
import type { QrLoginPollResult, QrLoginResult } from '../protocol/http/qr-login.js';
import type { Chat, Message } from '../protocol/messages.js';
import type { FileInfo, FileUrl } from '../protocol/media.js';
import type { MethodInput, MethodName, MethodResult, Peer } from '../protocol/methods.js';
import type { EphemeralEvent, Update, UpdateEnvelope } from '../protocol/updates.js';
import { ChannelSync } from './channel-sync.js';
import { DEFAULT_BACKOFF } from './backoff.js';
import { Connection, type HelloFrame, type PayloadFrame } from './connection.js';
import { ClientError } from './errors.js';
import { Emitter, type Listener } from './events.js';
import { downloadFile, type DownloadOptions, type FileDownload } from './download.js';
import { methodApi, type MethodApi } from './method-api.js';
import { HttpApi, type LoginInput, type LoginSecondFactorInput, type SignupInput } from './http.js';
import { toInputMedia, type MediaInput, type MediaSendOptions } from './media.js';
import { uploadFile, type UploadOptions, type UploadSource } from './upload.js';
import { defaultFetch, defaultWebSocket, randomId, sleep, systemTimers, type FetchLike } from './platform.js';
import { Rpc, type CallOptions } from './rpc.js';
import { SendQueue, type PendingSend } from './send-queue.js';
import { MemorySyncStore, SyncRunner } from './sync-runner.js';
import type { ClientEvents, ClientOptions, ConnectionState, SendOptions } from './types.js';

/** The Edgegram SDK: sign in, connect, stay in sync, call methods (`api`), send with exactly-once effect. */
export class EdgegramClient {
  readonly #events = new Emitter<ClientEvents>((error) => this.#onListenerError(error));
  #reportingListenerError = false;
  readonly #http: HttpApi;
  readonly #fetch: FetchLike;
  readonly #rpc: Rpc;
  readonly #sends: SendQueue;
  readonly #sync: SyncRunner;
  readonly #channels: ChannelSync;
  readonly #connection: Connection;
  readonly #device: DeviceInfo;
  #token: string | undefined;
  #user: User | undefined;
  #hello: HelloFrame | undefined;
  #state: ConnectionState = 'offline';

  constructor(options: ClientOptions) {
    const timers = options.timers ?? systemTimers;
    const WebSocket = options.WebSocket ?? defaultWebSocket();
    if (!WebSocket) throw new Error('No global WebSocket: pass options.WebSocket (e.g. from the `ws` package)');
    this.#device = options.device;
    this.#token = options.token;
    this.#fetch = options.fetch ?? defaultFetch();
    this.#http = new HttpApi(options.baseUrl, this.#fetch, () => this.#token);
    this.#rpc = new Rpc(timers, options.callTimeoutMs ?? 30_000);
    const call = this.call.bind(this);
    this.#sends = new SendQueue({ call, sleep: (ms) => sleep(timers, ms), randomId: options.randomId ?? randomId });
    this.#sync = new SyncRunner({
      call: (method, params) => this.#rpc.call(method, params, { resend: false }),
      store: options.syncStore ?? new MemorySyncStore(),
      apply: (envelope) => this.#dispatch(envelope),
      tooLong: (state) => this.#events.emit('tooLong', state),
      phase: (phase) => {
        this.#setState(phase);
        if (phase === 'online') this.#connection.markHealthy();
      },
      fail: (error) => {
        this.#events.emit('error', error);
        this.#connection.drop('sync failed');
      },
    });
    this.#channels = new ChannelSync({
      getChannelDifference: (params) => this.#rpc.call('getChannelDifference', params, { resend: false }),
      apply: (chatId, envelope) => {
        this.#events.emit('channelUpdate', { chat_id: chatId, envelope });
        this.#dispatchUpdate(envelope.update);
      },
      tooLong: (chatId, pts) => this.#events.emit('channelTooLong', { chat_id: chatId, pts }),
      fail: (error) => this.#events.emit('error', error),
    });
    this.#connection = new Connection(
      {
        WebSocket,
        socketUrl: async () => this.#http.socketUrl((await this.#http.connectTicket()).url),
        timers,
        now: options.now ?? Date.now,
        random: options.random ?? Math.random,
        backoff: { ...DEFAULT_BACKOFF, ...options.backoff },
        pingIntervalMs: options.pingIntervalMs ?? 25_000,
        pongTimeoutMs: options.pongTimeoutMs ?? 10_000,
        helloTimeoutMs: options.helloTimeoutMs ?? 15_000,
      },
      {
        connecting: () => this.#setState('connecting'),
        open: (hello, send) => this.#onOpen(hello, send),
        frame: (frame) => this.#onFrame(frame),
        lost: () => {
          this.#rpc.close();
          this.#sync.stop();
          this.#channels.stop();
        },
        reconnecting: (attempt, delay_ms) => {
          this.#setState('connecting');
          this.#events.emit('reconnecting', { attempt, delay_ms });
        },
        terminated: (reason) => this.#onTerminated(reason),
        error: (error) => this.#events.emit('error', error),
      },
    );
  }

  // ── events ──

  on<K extends keyof ClientEvents>(type: K, listener: Listener<ClientEvents[K]>): () => void {
    return this.#events.on(type, listener);
  }
  once<K extends keyof ClientEvents>(type: K, listener: Listener<ClientEvents[K]>): () => void {
    return this.#events.once(type, listener);
  }
  off<K extends keyof ClientEvents>(type: K, listener: Listener<ClientEvents[K]>): void {
    this.#events.off(type, listener);
  }

  // ── state ──

  get state(): ConnectionState {
    return this.#state;
  }
  /** The local sync position; undefined until the first sync on a fresh device. */
  get pts(): number | undefined {
    return this.#sync.engine.pts;
  }
  get token(): string | undefined {
    return this.#token;
  }
  /** The signed-in account, once known (from signup/login/useSession). */
  get user(): User | undefined {
    return this.#user;
  }
  /** The server's hello on the current (or last) socket: user, session and device ids. */
  get hello(): HelloFrame | undefined {
    return this.#hello;
  }
  /** Sends not yet confirmed by the server. */
  get pendingSends(): readonly PendingSend[] {
    return this.#sends.pending;
  }

  // ── auth (HTTP) ──

  async signup(input: SignupInput): Promise<AuthResult> {
    return this.#signedIn(await this.#http.signup(input, this.#device));
  }

  /**
   * Signs in with username and password. An account with two-step
   * verification rejects with SECOND_FACTOR_REQUIRED once the password is
   * right: pass `loginTokenOf(error)` and the user's code to loginSecondFactor.
   */
  async login(input: LoginInput): Promise<AuthResult> {
    return this.#signedIn(await this.#http.login(input, this.#device));
  }

  /** The login's second step: a code from the authenticator app or a recovery code, within 5 minutes of the password step. */
  async loginSecondFactor(input: LoginSecondFactorInput): Promise<AuthResult> {
    return this.#signedIn(await this.#http.loginSecondFactor(input, this.#device));
  }

  /**
   * Passkeys, in two steps each around the platform's WebAuthn call (the
   * SDK runs in Node too, so it does not call `navigator.credentials`
   * itself): the options for `navigator.credentials.create` (or
   * @simplewebauthn/browser's startRegistration), then the credential it
   * made with a name for it. Signed in only. List and remove them with
   * `api.getPasskeys` and `api.deletePasskey`.
   */
  async passkeyRegistrationOptions(): Promise<PasskeyCreationOptions> {
    return (await this.#http.passkeyRegistrationOptions()).options;
  }
  async registerPasskey(name: string, response: PasskeyRegistrationResponse): Promise<Passkey> {
    return (await this.#http.registerPasskey(name, response)).passkey;
  }

  /** Signed out: the options for `navigator.credentials.get` (startAuthentication), then its answer signs in. */
  async passkeyLoginOptions(): Promise<PasskeyRequestOptions> {
    return (await this.#http.passkeyLoginOptions()).options;
  }
  async loginWithPasskey(response: PasskeyAuthenticationResponse): Promise<AuthResult> {
    return this.#signedIn(await this.#http.passkeyLogin(response, this.#device));
  }

  /**
   * QR login, the new device's side: a token to show (as a QR code of
   * `url` and as text) for about a minute; ask again with the old one as
   * `replaces` to refresh. A signed-in device approves it with
   * `api.acceptLoginToken`.
   */
  startQrLogin(replaces?: string): Promise<QrLoginResult> {
    return this.#http.qrLogin(this.#device, replaces);
  }
  /**
   * One poll (every second or two): `waiting`, or `approved` and this client
   * is signed in. Expired: LOGIN_TOKEN_EXPIRED (start again).
   */
  async pollQrLogin(token: string): Promise<QrLoginPollResult> {
    const result = await this.#http.qrLoginPoll(token);
    if (result.status === 'approved') this.#signedIn(result.auth);
    return result;
  }

  /** Resumes a saved session; rejects (and forgets the token) if it is no longer valid. */
  async useSession(token: string): Promise<User> {
    this.#token = token;
    this.#revive();
    try {
      this.#user = (await this.#http.me()).user;
      return this.#user;
    } catch (error) {
      if (error instanceof EdgegramError && error.code === ErrorCode.UNAUTHORIZED) this.#token = undefined;
      throw error;
    }
  }

  /** Ends this session on the server and disconnects. */
  async logout(): Promise<void> {
    this.disconnect();
    try {
      await this.#http.logout();
    } finally {
      this.#token = undefined;
      this.#user = undefined;
    }
  }

  me(): Promise<User> {
    return this.#http.me().then(({ user }) => (this.#user = user));
  }
  async sessions(): Promise<SessionList['sessions']> {
    return (await this.#http.sessions()).sessions;
  }
  async terminateSession(id: string): Promise<void> {
    await this.#http.terminateSession(id);
  }
  terminateOtherSessions(): Promise<TerminateOthersResult> {
    return this.#http.terminateOtherSessions();
  }

  // ── connection ──

  /**
   * Opens the socket and keeps it open (reconnecting as needed) until
   * disconnect(). Resolves once connected and in sync; rejects if the session
   * is terminated or disconnect() is called first.
   */
  connect(): Promise<void> {
    if (!this.#token) return Promise.reject(new ClientError('NO_SESSION', 'Sign in before connecting'));
    if (this.#state === 'online') return Promise.resolve();
    const ready = new Promise<void>((resolve, reject) => {
      const off = this.on('state', (state) => {
        if (state === 'online') resolve();
        else if (state === 'offline') reject(new ClientError('CLOSED', 'Disconnected before the connection was ready'));
        else if (state === 'terminated') reject(new EdgegramError(ErrorCode.UNAUTHORIZED, 'Session terminated'));
        else return;
        off();
      });
    });
    this.#revive();
    this.#connection.start();
    return ready;
  }

  /** Closes the socket and stops reconnecting. Pending calls and sends reject with CLOSED. */
  disconnect(): void {
    this.#connection.stop();
    this.#sync.stop();
    this.#channels.stop();
    this.#rpc.cancelAll(new ClientError('CLOSED', 'Client disconnected'));
    if (this.#state !== 'terminated') this.#setState('offline');
  }

  // ── methods (WebSocket) ──

  /**
   * Calls an account method over the socket. Calls made while disconnected
   * wait for the next connection; calls in flight when the socket drops are
   * sent again after the reconnect (see CallOptions.resend for why that is
   * safe for every method).
   */
  call<M extends MethodName>(method: M, params: MethodInput<M>, options?: CallOptions): Promise<MethodResult<M>> {
    if (this.#state === 'terminated') {
      return Promise.reject(new EdgegramError(ErrorCode.UNAUTHORIZED, 'Session terminated'));
    }
    return this.#rpc.call(method, params, options).then((result) => {
      this.#learnChats(result);
      return result;
    });
  }

  /** Supergroups in an answer (a dialog list, a chat) start being followed at their pts. */
  #learnChats(result: unknown): void {
    if (typeof result !== 'object' || result === null) return;
    const r = result as { chat?: Chat; dialogs?: { chat: Chat }[] };
    if (r.chat) this.#channels.learn(r.chat);
    for (const d of r.dialogs ?? []) this.#channels.learn(d.chat);
  }

  /** The local pts of a supergroup this client follows (see Chat.pts), or undefined. */
  channelPts(chatId: number): number | undefined {
    return this.#channels.pts(chatId);
  }

  /**
   * Every account method, typed from protocol/methods.ts and sent with
   * `call`: `client.api.getHistory({ chat_id: 5, limit: 20 })`. The methods
   * below add behaviour of their own (idempotent sends through the send
   * queue, uploads, file links, typing, the profile kept current).
   */
  readonly api: MethodApi = methodApi((method, params, options) => this.call(method, params, options));

  /** The same methods over HTTP (`POST /v1/call/<method>`), no socket needed. */
  callHttp<M extends MethodName>(method: M, params: MethodInput<M>): Promise<MethodResult<M>> {
    return this.#http.call(method, params);
  }

  sendMessage(peer: Peer, text: string, options: SendOptions = {}): Promise<Message> {
    return this.#sends.send({ peer, text, ...options });
  }

  // ── media ──

  /**
   * Uploads a file (single PUT or parallel resumable parts, see upload.ts)
   * and returns it for sendMedia. Progress, abort and resume are in `options`.
   */
  uploadFile(source: UploadSource, options: UploadOptions = {}): Promise<FileInfo> {
    return uploadFile(this.#http, source, options);
  }

  /** Sends one media message (`text` of the result is the caption). Retried like sendMessage. */
  sendMedia(peer: Peer, media: MediaInput, options: MediaSendOptions = {}): Promise<Message> {
    const { caption, entities, reply_to_message_id, message_thread_id, random_id } = options;
    return this.#sends.sendMedia({
      peer,
      media: toInputMedia(media),
      ...(caption !== undefined && { caption }),
      ...(entities && { entities }),
      ...(reply_to_message_id !== undefined && { reply_to_message_id }),
      ...(message_thread_id !== undefined && { message_thread_id }),
      ...(random_id !== undefined && { random_id }),
    });
  }

  /** 2-10 media as one album (photos and videos, or only documents, or only audio). */
  sendAlbum(
    peer: Peer,
    items: ({ media: MediaInput } & Omit<MediaSendOptions, 'reply_to_message_id' | 'message_thread_id'>)[],
    options: { reply_to_message_id?: number; message_thread_id?: number } = {},
  ): Promise<Message[]> {
    return this.#sends.sendAlbum({
      peer,
      items: items.map(({ media, caption, entities, random_id }) => ({
        media: toInputMedia(media),
        ...(caption !== undefined && { caption }),
        ...(entities && { entities }),
        ...(random_id !== undefined && { random_id }),
      })),
      ...options,
    });
  }

  /** A short-lived (1 h) absolute link to a message's file, or its thumbnail. */
  async getFileUrl(chatId: number, messageId: number, options: { thumb?: boolean } = {}): Promise<FileUrl> {
    const link = await this.api.getFileUrl({ chat_id: chatId, message_id: messageId, ...(options.thumb && { thumb: true }) });
    return { url: this.#http.url(link.url), expires_at: link.expires_at };
  }

  /** A short-lived (1 h) absolute link to a chat's photo: its small size, or with `big` the picture as uploaded. */
  async getChatPhotoUrl(chatId: number, options: { big?: boolean } = {}): Promise<FileUrl> {
    const link = await this.api.getChatPhotoUrl({ chat_id: chatId, ...(options.big && { big: true }) });
    return { url: this.#http.url(link.url), expires_at: link.expires_at };
  }

  /** The account's data export (client.api.requestDataExport starts one), its download link made absolute when done. */
  async getDataExport(): Promise<DataExport> {
    const { export: state } = await this.api.getDataExport({});
    return state.url ? { ...state, url: this.#http.url(state.url) } : state;
  }

  /** Downloads a file link, streamed; `range` asks for part of it (206). */
  downloadFile(url: string, options: DownloadOptions = {}): Promise<FileDownload> {
    return downloadFile(this.#fetch, this.#http.url(url), options);
  }

  forwardMessages(fromChatId: number, ids: number[], to: Peer): Promise<Message[]> {
    return this.#sends.forward({ from_chat_id: fromChatId, ids, to });
  }

  /** Typing is ephemeral: not queued while offline and never re-sent (see NOT_RESENT in rpc.ts). */
  async setTyping(chatId: number, action: 'typing' | 'cancel' = 'typing'): Promise<void> {
    if (this.#state !== 'online' && this.#state !== 'updating') return;
    await this.call('setTyping', { chat_id: chatId, action });
  }

  /**
   * Changes this account's display name, username and/or bio (omitted
   * fields stay; an empty `about` clears the bio). Resolves with the new
   * profile, which `user` shows at once; every device of the account and
   * its chat peers also get a `user` event. Fails with USERNAME_INVALID,
   * USERNAME_TAKEN or RATE_LIMITED.
   */
  async updateProfile(changes: MethodInput<'updateProfile'>): Promise<User> {
    // Setting a profile is idempotent, so a call cut off by a reconnect may be re-sent.
    const { user } = await this.api.updateProfile(changes);
    this.#user = user;
    return user;
  }

  // ── internals ──

  #signedIn(result: AuthResult): AuthResult {
    this.#token = result.session.token;
    this.#user = result.user;
    this.#revive();
    return result;
  }

  /** A new session after termination: back to offline, ready to connect. */
  #revive(): void {
    if (this.#state === 'terminated') this.#setState('offline');
  }

  #onOpen(hello: HelloFrame, send: (text: string) => void): void {
    this.#hello = hello;
    this.#setState('updating');
    this.#rpc.open(send);
    this.#sync.start();
    this.#channels.start();
  }

  #onFrame(frame: PayloadFrame): void {
    switch (frame.t) {
      case 'result':
        this.#rpc.settle(frame.id, { result: frame.result });
        return;
      case 'error':
        // An error nobody waits for (unparseable call, late answer) still deserves a report.
        if (frame.id === null || !this.#rpc.settle(frame.id, { error: frame.error })) {
          this.#events.emit('error', EdgegramError.fromBody(frame.error));
        }
        return;
      case 'updates':
        this.#sync.push(frame.updates);
        return;
      case 'channel_updates':
        this.#channels.push(frame.chat_id, frame.updates);
        return;
      case 'event':
        this.#onEvent(frame.event);
        return;
      default:
        frame satisfies never;
    }
  }

  #onEvent(event: EphemeralEvent): void {
    switch (event.type) {
      case 'typing':
        this.#events.emit('typing', event);
        return;
      case 'user_status':
        this.#events.emit('status', event.status);
        return;
      case 'user':
        if (event.user.id === this.#user?.id) this.#user = event.user;
        this.#events.emit('user', event.user);
        return;
      case 'message_request':
        this.#events.emit('messageRequest', event);
        return;
      default:
        event satisfies never;
    }
  }

  #dispatch(envelope: UpdateEnvelope): void {
    this.#events.emit('update', envelope);
    this.#dispatchUpdate(envelope.update);
  }

  /** The typed events of one update, from the account's stream or a large chat's. */
  #dispatchUpdate(update: Update): void {
    switch (update.type) {
      case 'new_message':
        this.#events.emit('message', update.message);
        return;
      case 'edit_message':
        this.#events.emit('edit', update.message);
        return;
      case 'delete_messages':
        this.#events.emit('delete', update);
        return;
      case 'read_history_inbox':
      case 'read_history_outbox':
        this.#events.emit('read', update);
        return;
      case 'chat':
        this.#channels.learn(update.chat);
        this.#events.emit('chat', update);
        return;
      case 'chat_member':
        this.#events.emit('chat', update);
        return;
      case 'message_reactions':
        this.#events.emit('reactions', update);
        return;
      case 'mention':
        this.#events.emit('mention', update);
        return;
      case 'chat_join_request':
        this.#events.emit('joinRequest', update);
        return;
      case 'forum_topic':
        this.#events.emit('forumTopic', update);
        return;
      case 'callback_query':
      case 'service':
        return; // only in bot accounts' logs; bots use the Bot API
      default:
        update satisfies never;
    }
  }

  #onTerminated(reason: string): void {
    this.#sync.stop();
    this.#rpc.cancelAll(new EdgegramError(ErrorCode.UNAUTHORIZED, 'Session terminated'));
    this.#setState('terminated');
    this.#events.emit('terminated', { reason });
  }

  /** A throwing listener is reported as 'error'; one that throws on 'error' too is rethrown asynchronously. */
  #onListenerError(error: unknown): void {
    if (this.#reportingListenerError) {
      queueMicrotask(() => {
        throw error;
      });
      return;
    }
    this.#reportingListenerError = true;
    try {
      this.#events.emit('error', asError(error));
    } finally {
      this.#reportingListenerError = false;
    }
  }

  #setState(state: ConnectionState): void {
    if (state === this.#state) return;
    this.#state = state;
    this.#events.emit('state', state);
  }
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
