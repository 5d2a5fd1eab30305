/**
 * The wire protocol version. `test/unit/protocol/version.test.ts` hashes every
 * schema; when the hash changes, bump this, record the new hash and add a line
 * to the history below.
 *
 * History:
 * 1 — accounts, sessions, connect tickets, messaging methods, updates, frames.
 */
export const PROTOCOL_VERSION = 1;
export const PROTOCOL_SCHEMA_HASH = 'unset';
