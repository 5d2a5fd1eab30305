import { describe, expect, test } from 'vitest';
import { PROTOCOL_SCHEMA_HASH, PROTOCOL_VERSION } from '../../../protocol/version.js';
import { wireSchemaHash, wireSchemas } from '../../../protocol/schema-digest.js';

describe('protocol version', () => {
  test('any change to a wire schema requires a protocol version bump', async () => {
    const hash = await wireSchemaHash();
    expect(
      hash,
      `The wire schemas changed. Bump PROTOCOL_VERSION (now ${PROTOCOL_VERSION}) in protocol/version.ts, ` +
        `set PROTOCOL_SCHEMA_HASH = '${hash}' and add a line to its history.`,
    ).toBe(PROTOCOL_SCHEMA_HASH);
  });

  test('the digest covers every frame, update and method', () => {
    const names = Object.keys(wireSchemas());
    for (const name of ['UpFrame', 'DownFrame', 'Update', 'UpdateEnvelope', 'ErrorBody', 'SignupBody', 'method:sendMessage']) {
      expect(names).toContain(name);
    }
  });
});
