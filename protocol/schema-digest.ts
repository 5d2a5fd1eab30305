import { z } from 'zod';
import * as wire from './index.js';

/**
 * A canonical JSON Schema rendering of every exported schema, keyed by export
 * name. The version test hashes it, and the OpenAPI document reuses it.
 */
export function wireSchemas(): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(wire).sort(([a], [b]) => a.localeCompare(b))) {
    if (value instanceof z.ZodType) out[name] = z.toJSONSchema(value, { io: 'input', unrepresentable: 'any' });
  }
  for (const [name, m] of Object.entries(wire.methods).sort(([a], [b]) => a.localeCompare(b))) {
    out[`method:${name}`] = {
      params: z.toJSONSchema(m.params, { io: 'input', unrepresentable: 'any' }),
      result: z.toJSONSchema(m.result, { io: 'output', unrepresentable: 'any' }),
    };
  }
  return out;
}

/** SHA-256 of the canonical schema JSON, hex. Works in Node and workerd. */
export async function wireSchemaHash(): Promise<string> {
  const bytes = new TextEncoder().encode(JSON.stringify(wireSchemas()));
  const digest = await crypto.subtle.digest('SHA-256', bytes);
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}
