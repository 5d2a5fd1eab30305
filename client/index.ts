export { EdgegramClient } from './client.js';
export type {
  ChatUpdate,
  ReactionsUpdate,
  ClientEvents,
  ClientOptions,
  ConnectionState,
  DeleteMessagesUpdate,
  ReadUpdate,
  SendOptions,
  TypingEvent,
} from './types.js';
export { ClientError, ClientErrorCode } from './errors.js';
export { MemorySyncStore, type SyncStore } from './sync-runner.js';
export { SyncEngine, classify, type SyncEffect, type SyncPhase } from './sync.js';
export { Backoff, backoffDelay, DEFAULT_BACKOFF, type BackoffOptions } from './backoff.js';
export { Emitter, type Listener } from './events.js';
export { NOT_RESENT, type CallOptions } from './rpc.js';
export type { MethodApi, MethodArgs } from './method-api.js';
export type { PendingSend } from './send-queue.js';
export type { LoginInput, LoginSecondFactorInput, SignupInput } from './http.js';
export { loginTokenOf } from './http.js';
export type { UploadOptions, UploadProgress, UploadSource } from './upload.js';
export type { DownloadOptions, FileDownload } from './download.js';
export type { MediaInput, MediaSendOptions } from './media.js';
export type { FetchLike, ResponseLike, Timers, WebSocketConstructor, WebSocketLike } from './platform.js';
// Re-exported so apps need one import for the errors they switch on.
export { EdgegramError, ErrorCode } from '../protocol/errors.js';
