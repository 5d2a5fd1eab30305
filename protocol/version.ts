/**
 * The wire protocol version. `test/unit/protocol/version.test.ts` hashes every
 * schema; when the hash changes, bump this, record the new hash and add a line
 * to the history below.
 *
 * History:
 * 1 — accounts, sessions, connect tickets, messaging methods, updates, frames.
 */
export const PROTOCOL_VERSION = 1;
export const PROTOCOL_SCHEMA_HASH = 'f8c0b289ee3c68a29d4d3d20e34ae3a2a44ef7e610977f3a7b0b6e2043a27cc2';
