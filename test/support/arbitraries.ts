import fc from 'fast-check';
import { z } from 'zod';

/**
 * fast-check arbitraries derived from the protocol's zod schemas, for fuzzing
 * the boundary (test/unit/fuzz, test/workers/fuzz.test.ts).
 *
 * - `validShaped(schema)`: values built from the schema's JSON Schema (the
 *   same rendering the protocol hash and OpenAPI use), so they follow every
 *   field's type, range, length and pattern. Most pass the schema; a few fail
 *   on rules JSON Schema cannot say (a trimmed title that is all spaces).
 * - `mutated(schema)`: a valid-shaped value with 1-3 mutations: a field
 *   replaced by a hostile value (wrong type, huge, negative, NaN-like, deep,
 *   unicode edge cases), a field deleted, an extra key added (prototype
 *   pollution keys included), a value pushed past its bound, a type confused.
 * - `fuzzInput(schema)`: both, mostly mutated.
 * - `wireText(values)`: JSON text of a value, sometimes damaged at the text
 *   level (numbers JSON cannot round-trip like 1e999, truncation, duplicate
 *   `__proto__` keys, padding past the size limits).
 *
 * Objects are built with defineProperty, so a key named `__proto__` is an own
 * property, exactly as JSON.parse makes it, never a prototype change.
 */

/**
 * Known values to mix in, so some inputs address things that exist: ids for
 * id fields, strings (usernames, file ids) for fields whose pattern they match.
 */
export type Hints = { ids?: readonly number[]; strings?: readonly string[] };

type JsonSchema = {
  type?: string;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  minItems?: number;
  maxItems?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  format?: string;
  enum?: unknown[];
  const?: unknown;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
};

const MAX_SAFE = Number.MAX_SAFE_INTEGER;

export function validShaped(schema: z.ZodType, hints: Hints = {}): fc.Arbitrary<unknown> {
  return fromJsonSchema(z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonSchema, hints);
}

export function mutated(schema: z.ZodType, hints: Hints = {}): fc.Arbitrary<unknown> {
  return mutationsOf(validShaped(schema, hints));
}

/** Generated inputs for one schema: one in `1 + mutatedWeight` is valid-shaped, the rest mutated. */
export function fuzzInput(schema: z.ZodType, hints: Hints = {}, mutatedWeight = 4): fc.Arbitrary<unknown> {
  return fc.oneof(
    { weight: 1, arbitrary: validShaped(schema, hints) },
    { weight: mutatedWeight, arbitrary: mutated(schema, hints) },
  );
}

// ---- valid-shaped values from JSON Schema ----

function fromJsonSchema(s: JsonSchema, hints: Hints): fc.Arbitrary<unknown> {
  if (s.const !== undefined) return fc.constant(s.const);
  if (s.enum) return fc.constantFrom(...s.enum);
  const alternatives = s.anyOf ?? s.oneOf;
  if (alternatives) return fc.oneof(...alternatives.map((a) => fromJsonSchema(a, hints)));
  switch (s.type) {
    case 'object':
      return objectOf(s, hints);
    case 'array':
      return arrayOf(s, hints);
    case 'string':
      return stringOf(s, hints);
    case 'integer':
      return integerOf(s, hints);
    case 'number':
      return fc.double({ min: s.minimum ?? -1e12, max: s.maximum ?? 1e12, noNaN: true });
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    default:
      // `{}`: anything (z.unknown(), e.g. a call frame's params).
      return fc.jsonValue({ maxDepth: 3 });
  }
}

function objectOf(s: JsonSchema, hints: Hints): fc.Arbitrary<unknown> {
  const props = s.properties ?? {};
  const model: Record<string, fc.Arbitrary<unknown>> = {};
  for (const [key, sub] of Object.entries(props)) model[key] = fromJsonSchema(sub, hints);
  return fc.record(model, { requiredKeys: (s.required ?? []).filter((k) => k in props) });
}

function arrayOf(s: JsonSchema, hints: Hints): fc.Arbitrary<unknown> {
  const item = fromJsonSchema(s.items ?? {}, hints);
  const min = s.minItems ?? 0;
  const max = s.maxItems ?? 1000;
  const small = fc.array(item, { minLength: min, maxLength: Math.max(min, Math.min(max, 4)) });
  // Exactly at the upper bound now and then: the edge a validator gets wrong.
  const full = fc.array(item, { minLength: max, maxLength: max });
  return max <= 200 ? fc.oneof({ weight: 30, arbitrary: small }, { weight: 1, arbitrary: full }) : small;
}

function stringOf(s: JsonSchema, hints: Hints): fc.Arbitrary<string> {
  const min = s.minLength ?? 0;
  const max = s.maxLength ?? 10_000;
  if (s.pattern) {
    const matching = fc.stringMatching(new RegExp(s.pattern));
    const known = hints.strings?.filter((u) => new RegExp(s.pattern!).test(u)) ?? [];
    return known.length > 0 ? fc.oneof(fc.constantFrom(...known), matching) : matching;
  }
  if (s.format === 'uri') return fc.webUrl().filter((u) => u.length <= max);
  const short = Math.max(min, Math.min(max, 24));
  const text = fc.oneof(
    fc.string({ minLength: min, maxLength: short }),
    fc.string({ unit: 'grapheme', minLength: min, maxLength: short }),
    fc.string({ unit: 'binary', minLength: min, maxLength: short }),
  );
  // At the length limit, in one-unit and multi-byte characters.
  const edges = fc.constantFrom('x'.repeat(max), '€'.repeat(max), '🙂'.repeat(Math.floor(max / 2)), ' '.repeat(Math.max(min, 1)));
  // Known strings too: some rules (a refine, like a bot's username) have no JSON Schema to generate from.
  const known = hints.strings?.filter((k) => k.length >= min && k.length <= max) ?? [];
  return fc.oneof(
    { weight: 10, arbitrary: text },
    { weight: 1, arbitrary: edges },
    ...(known.length > 0 ? [{ weight: 3, arbitrary: fc.constantFrom(...known) }] : []),
  );
}

function integerOf(s: JsonSchema, hints: Hints): fc.Arbitrary<number> {
  const lo = s.minimum ?? (s.exclusiveMinimum !== undefined ? s.exclusiveMinimum + 1 : -MAX_SAFE);
  const hi = s.maximum ?? MAX_SAFE;
  const options: fc.Arbitrary<number>[] = [
    fc.integer({ min: lo, max: Math.min(hi, lo + 20) }),
    fc.integer({ min: lo, max: hi }),
    fc.constantFrom(lo, hi),
  ];
  const known = hints.ids?.filter((id) => id >= lo && id <= hi) ?? [];
  if (known.length > 0 && lo >= 0) options.push(fc.constantFrom(...known), fc.constantFrom(...known));
  return fc.oneof(...options);
}

// ---- hostile values and mutations ----

const HUGE_ASCII = 'x'.repeat(70_000);
const HUGE_MULTIBYTE = '€'.repeat(30_000);

function nested(depth: number, kind: 'array' | 'object'): unknown {
  let v: unknown = 0;
  for (let i = 0; i < depth; i++) v = kind === 'array' ? [v] : { a: v };
  return v;
}

/** Made by JSON.parse, as a request body would be: `__proto__` is an own key. */
const PROTO_POLLUTERS = [
  '{"__proto__":{"polluted":"yes","is_admin":true}}',
  '{"constructor":{"prototype":{"polluted":"yes"}}}',
  '{"__proto__":null}',
  '{"prototype":{"polluted":"yes"},"toString":"x","hasOwnProperty":1,"valueOf":null}',
].map((text) => JSON.parse(text) as unknown);

/** Values no field expects. NaN, ±Infinity and undefined only survive in process; JSON turns them into null or drops them. */
export const HOSTILE_VALUES: readonly unknown[] = [
  null, undefined, true, false,
  0, -0, -1, 1.5, -1.5, NaN, Infinity, -Infinity,
  2 ** 31, -(2 ** 31), 2 ** 32, 2 ** 53, 2 ** 53 + 2, -(2 ** 53), Number.MAX_VALUE, Number.MIN_VALUE, 1e21, 1e-7,
  '', ' ', '\t\n\r', '0', '1', '-1', '1e999', 'NaN', 'Infinity', 'null', 'undefined', 'true', '[]', '{}',
  '__proto__', 'constructor', '\u0000', 'a\u0000b', '\uD800', '\uDFFF', 'x\uD83D', '\u202Eevil', '\uFEFF', '\u200B',
  'e\u0301', '🧨', '👨‍👩‍👧‍👦', 'Ω≈ç√∫', '<script>alert(1)</script>', "'; DROP TABLE accounts; --", '${7*7}', '%00%ff',
  '../../etc/passwd', 'http://', 'javascript:alert(1)',
  HUGE_ASCII, HUGE_MULTIBYTE,
  [], [null], [[]], [1, 'a', null, {}], {}, { length: 1e9 }, { '': '' },
  nested(2_000, 'array'), nested(2_000, 'object'),
  ...PROTO_POLLUTERS,
];

const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...HOSTILE_VALUES) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 1, arbitrary: fc.integer({ min: -MAX_SAFE, max: MAX_SAFE }) },
  { weight: 1, arbitrary: fc.double() },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }) },
);

const extraKey: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', 'valueOf', 'hasOwnProperty', 'then', '', ' ', 'x'.repeat(1_000)),
  fc.constantFrom('chat_id', 'user_id', 'id', 't', 'method', 'params', 'is_admin', 'role', 'sender_id', 'pts'),
  fc.string({ maxLength: 12 }),
);

type Path = (string | number)[];

type Mutation =
  | { kind: 'replace'; at: number; value: unknown }
  | { kind: 'delete'; at: number }
  | { kind: 'addKey'; at: number; key: string; value: unknown }
  | { kind: 'wrap'; at: number; how: 'array' | 'object' | 'deep' }
  | { kind: 'confuse'; at: number }
  | { kind: 'stretch'; at: number; by: number };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ kind: fc.constant('replace' as const), at: fc.nat(), value: hostileValue }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('delete' as const), at: fc.nat() }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('addKey' as const), at: fc.nat(), key: extraKey, value: hostileValue }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('wrap' as const), at: fc.nat(), how: fc.constantFrom('array' as const, 'object' as const, 'deep' as const) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('confuse' as const), at: fc.nat() }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('stretch' as const), at: fc.nat(), by: fc.constantFrom(-1, 1, 2, 1e6, -1e6) }) },
);

export function mutationsOf(values: fc.Arbitrary<unknown>): fc.Arbitrary<unknown> {
  return fc
    .tuple(values, fc.array(mutation, { minLength: 1, maxLength: 3 }))
    .map(([value, ops]) => ops.reduce((v, op) => applyMutation(v, op), value));
}

function applyMutation(root: unknown, op: Mutation): unknown {
  const all = pathsOf(root);
  const path = all[op.at % all.length]!;
  const current = getAt(root, path);
  switch (op.kind) {
    case 'replace':
      return setAt(root, path, op.value);
    case 'delete':
      return path.length === 0 ? undefined : deleteAt(root, path);
    case 'addKey': {
      const target = isPlainObject(current) ? current : {};
      return setAt(root, path, withKey(target, op.key, op.value));
    }
    case 'wrap':
      return setAt(root, path, op.how === 'array' ? [current] : op.how === 'object' ? { value: current } : nested(50, 'array'));
    case 'confuse':
      return setAt(root, path, confuse(current));
    case 'stretch':
      return setAt(root, path, stretch(current, op.by));
  }
}

/** The same content in another JSON type: 5 → "5", "5" → 5, [x] → x, {a} → [a], true → "true". */
function confuse(v: unknown): unknown {
  if (typeof v === 'number') return String(v);
  if (typeof v === 'string') return /^-?\d+(\.\d+)?$/.test(v) ? Number(v) : [v];
  if (typeof v === 'boolean') return v ? 1 : 'false';
  if (Array.isArray(v)) return v.length === 1 ? v[0] : Object.assign({}, v);
  if (isPlainObject(v)) return Object.values(v);
  return v === null ? 'null' : null;
}

/** Past a bound: a number moved or scaled, a string or array grown or emptied. */
function stretch(v: unknown, by: number): unknown {
  if (typeof v === 'number') return Math.abs(by) >= 1e6 ? v * by : v + by;
  if (typeof v === 'string') return by < 0 ? '' : v.repeat(Math.min(1 + Math.abs(by), 1 + Math.floor(70_000 / Math.max(v.length, 1))));
  if (Array.isArray(v)) return by < 0 ? [] : Array.from({ length: Math.min(v.length * 60 + 101, 2_000) }, (_, i) => v[i % Math.max(v.length, 1)] ?? 1);
  return v;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function pathsOf(root: unknown): Path[] {
  const out: Path[] = [];
  const walk = (v: unknown, path: Path) => {
    out.push(path);
    if (path.length >= 6 || out.length > 200) return;
    if (Array.isArray(v)) v.slice(0, 8).forEach((item, i) => walk(item, [...path, i]));
    else if (isPlainObject(v)) for (const key of Object.keys(v)) walk(v[key], [...path, key]);
  };
  walk(root, []);
  return out;
}

function getAt(root: unknown, path: Path): unknown {
  let v = root;
  for (const key of path) v = (v as Record<string | number, unknown>)[key];
  return v;
}

/** A shallow copy with own keys only (defineProperty keeps `__proto__` an ordinary key). */
function copyOf(v: unknown): Record<string | number, unknown> | unknown[] {
  if (Array.isArray(v)) return [...v];
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(v as object)) define(out, key, (v as Record<string, unknown>)[key]);
  return out;
}

function define(target: object, key: string | number, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

function withKey(obj: Record<string, unknown>, key: string, value: unknown): Record<string, unknown> {
  const copy = copyOf(obj) as Record<string, unknown>;
  define(copy, key, value);
  return copy;
}

function setAt(root: unknown, path: Path, value: unknown): unknown {
  if (path.length === 0) return value;
  const [key, ...rest] = path;
  const copy = copyOf(root);
  define(copy, key!, setAt((root as Record<string | number, unknown>)[key!], rest, value));
  return copy;
}

function deleteAt(root: unknown, path: Path): unknown {
  const [key, ...rest] = path;
  if (rest.length > 0) {
    const copy = copyOf(root);
    define(copy, key!, deleteAt((root as Record<string | number, unknown>)[key!], rest));
    return copy;
  }
  if (Array.isArray(root)) return root.filter((_, i) => i !== key);
  const copy = copyOf(root) as Record<string, unknown>;
  delete copy[key as string];
  return copy;
}

// ---- JSON text, damaged at the text level ----

/** Number literals JSON.parse accepts but JavaScript cannot hold exactly: 1e999 is Infinity, -0 is negative zero. */
const NUMBER_TEXTS = ['1e999', '-1e999', '-0', '1e-999', '123456789012345678901234567890', '9007199254740993', '1E2', '1.0', '0.1'];

type TextDamage =
  | { kind: 'none' }
  | { kind: 'number'; which: number; text: string }
  | { kind: 'truncate'; at: number }
  | { kind: 'protoKey' }
  | { kind: 'duplicateKey' }
  | { kind: 'pad'; bytes: number }
  | { kind: 'bom' }
  | { kind: 'trailing'; junk: string }
  | { kind: 'garbage'; text: string };

const textDamage: fc.Arbitrary<TextDamage> = fc.oneof(
  { weight: 12, arbitrary: fc.constant({ kind: 'none' as const }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('number' as const), which: fc.nat(), text: fc.constantFrom(...NUMBER_TEXTS) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'protoKey' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'duplicateKey' as const }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('pad' as const), bytes: fc.constantFrom(70 * 1024, 300 * 1024) }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'bom' as const }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('trailing' as const), junk: fc.constantFrom('}', ']', ',', 'x', '\u0000', '{}') }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('garbage' as const),
      text: fc.oneof(fc.string({ unit: 'binary', maxLength: 60 }), fc.constantFrom('', 'null', '[]', '"x"', '42', 'true', '{', '{"t":', '\uFEFF{}', 'NaN', '{"a":01}', '{"a":"\\u12"}', "{'a':1}")),
    }),
  },
);

/** JSON text of the values, now and then damaged: what a hostile client puts on the wire. */
export function wireText(values: fc.Arbitrary<unknown>): fc.Arbitrary<string> {
  return fc.tuple(values, textDamage).map(([value, damage]) => damageText(JSON.stringify(value) ?? 'null', damage));
}

function damageText(text: string, d: TextDamage): string {
  switch (d.kind) {
    case 'none':
      return text;
    case 'number': {
      const numbers = [...text.matchAll(/(?<=[:[,])-?\d+(\.\d+)?([eE][+-]?\d+)?/g)];
      const hit = numbers[d.which % Math.max(numbers.length, 1)];
      if (!hit || hit.index === undefined) return text;
      return text.slice(0, hit.index) + d.text + text.slice(hit.index + hit[0].length);
    }
    case 'truncate':
      return text.slice(0, d.at % Math.max(text.length, 1));
    case 'protoKey':
      return text.startsWith('{') && text !== '{}' ? `{"__proto__":{"polluted":"yes"},${text.slice(1)}` : text;
    case 'duplicateKey': {
      const first = /^\{"([^"]+)":/.exec(text);
      return first ? `{"${first[1]}":"shadowed",${text.slice(1)}` : text;
    }
    case 'pad':
      return text.startsWith('{') ? `{${' '.repeat(d.bytes)}${text.slice(1)}` : ' '.repeat(d.bytes) + text;
    case 'bom':
      return `\uFEFF${text}`;
    case 'trailing':
      return text + d.junk;
    case 'garbage':
      return d.text;
  }
}

// ---- checks shared by the suites ----

/** Own keys of Object.prototype, to compare before and after a run (prototype pollution). */
export function prototypeFingerprint(): string {
  return JSON.stringify([Object.getOwnPropertyNames(Object.prototype).sort(), Object.getOwnPropertyNames(Array.prototype).sort()]);
}

/** Samples `count` inputs, reproducibly for a seed (printed by the suites on failure). */
export function sampleInputs<T>(arb: fc.Arbitrary<T>, count: number, seed: number): T[] {
  return fc.sample(arb, { numRuns: count, seed });
}
