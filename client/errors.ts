/**
 * Errors that happen on the client's side of the wire. Errors the server
 * reports arrive as `EdgegramError` (protocol/errors.ts) with the server's
 * code; these are the only other kind an SDK call rejects with.
 */
export const ClientErrorCode = {
  /** fetch itself failed: no network, DNS, TLS, connection refused. */
  NETWORK: 'NETWORK',
  /** The server did not answer a call within the call timeout. */
  TIMEOUT: 'TIMEOUT',
  /** The socket dropped while a call that must not be re-sent was in flight. */
  DISCONNECTED: 'DISCONNECTED',
  /** The client was disconnected, logged out or terminated; pending work was cancelled. */
  CLOSED: 'CLOSED',
  /** The server sent something that does not match the protocol schemas. */
  PROTOCOL: 'PROTOCOL',
  /** The call needs a session token and the client has none. */
  NO_SESSION: 'NO_SESSION',
  /** The caller's AbortSignal stopped an upload or download. */
  ABORTED: 'ABORTED',
} as const;
export type ClientErrorCode = (typeof ClientErrorCode)[keyof typeof ClientErrorCode];

export class ClientError extends Error {
  override readonly name = 'ClientError';
  constructor(
    readonly code: ClientErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
