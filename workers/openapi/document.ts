import { z } from 'zod';
import { ErrorResponse } from '../../protocol/errors.js';
import { PROTOCOL_VERSION } from '../../protocol/version.js';
import { operations, type Operation } from './operations.js';

type JsonSchema = Record<string, unknown>;

const schema = (s: z.ZodType, io: 'input' | 'output'): JsonSchema =>
  z.toJSONSchema(s, { io, unrepresentable: 'any', target: 'openapi-3.0' }) as JsonSchema;

const content = (s: z.ZodType | 'bytes', io: 'input' | 'output') =>
  s === 'bytes'
    ? { 'application/octet-stream': { schema: { type: 'string', format: 'binary' } } }
    : { 'application/json': { schema: schema(s, io) } };

/** `/v1/uploads/{id}/parts/{n}` → `['id', 'n']`. */
const templateNames = (path: string) => [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]!);

/**
 * URL parameters are described by the value the route gets after parsing
 * (`io: 'output'`): on the wire they are text either way, and OpenAPI's
 * `simple`/`form` styles write an integer as its digits, so `n` is declared an
 * integer (what a client passes) rather than a digit string. A transform that
 * does not pipe into a schema has no describable output, which would silently
 * become "any": refuse it here instead.
 */
function parameters(where: 'path' | 'query', params: Operation['params'], names: string[] | undefined, at: string) {
  if (!params) {
    if (names && names.length > 0) throw new Error(`${at}: the path has {${names.join('}, {')}} but the operation declares no params schema`);
    return [];
  }
  const described = schema(params, 'output') as { properties?: Record<string, JsonSchema>; required?: string[] };
  const properties = described.properties ?? {};
  if (names && [...names].sort().join() !== Object.keys(properties).sort().join()) {
    throw new Error(`${at}: path parameters {${names.join('}, {')}} differ from the params schema's keys ${Object.keys(properties).join(', ')}`);
  }
  return Object.entries(properties).map(([name, s]) => {
    if (Object.keys(s).length === 0) throw new Error(`${at}: ${where} parameter ${name} has no describable parsed type (pipe its transform into a schema)`);
    const required = where === 'path' || (described.required ?? []).includes(name);
    if (where === 'path' && !(described.required ?? []).includes(name)) throw new Error(`${at}: path parameter ${name} cannot be optional`);
    return { name, in: where, required, schema: s };
  });
}

/** The OpenAPI 3.0 document of the HTTP API (`operations` unless told), served at `/v1/openapi.json`. */
export function buildOpenApiDocument(table: Record<string, Record<string, Operation>> = operations) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const [path, ops] of Object.entries(table)) {
    paths[path] = {};
    for (const [verb, op] of Object.entries(ops)) {
      const at = `${verb.toUpperCase()} ${path}`;
      const declared = [...parameters('path', op.params, templateNames(path), at), ...parameters('query', op.query, undefined, at)];
      paths[path]![verb] = {
        summary: op.summary,
        ...(declared.length > 0 ? { parameters: declared } : {}),
        ...(op.auth ? { security: [{ bearer: [] }] } : {}),
        ...(op.body ? { requestBody: { required: true, content: content(op.body, 'input') } } : {}),
        responses: {
          [op.status ?? 200]: { description: 'OK', content: content(op.result, 'output') },
          default: { description: 'Error', content: { 'application/json': { schema: schema(ErrorResponse, 'output') } } },
        },
      };
    }
  }
  return {
    openapi: '3.0.3',
    info: { title: 'Edgegram API', version: String(PROTOCOL_VERSION) },
    components: {
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', description: 'The session token that signup and login answer with: `Authorization: Bearer <token>`' } as const,
      },
    },
    paths,
  };
}

export type OpenApiDocument = ReturnType<typeof buildOpenApiDocument>;
