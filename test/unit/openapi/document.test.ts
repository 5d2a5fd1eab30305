import { compileErrors, validate } from '@readme/openapi-parser';
import { describe, expect, test } from 'vitest';
import { z } from 'zod';
import { OkResult } from '../../../protocol/http/auth.js';
import { buildOpenApiDocument } from '../../../workers/openapi/document.js';

// The validator compiles JSON Schemas with `new Function` (ajv), which workerd
// forbids, so this runs in Node over the builder the route serves
// (test/workers/http-conventions.test.ts checks the route serves exactly this).

type Parameter = { name: string; in: string; required: boolean; schema: { type?: string; pattern?: string } };
type Operations = Record<string, Record<string, { parameters?: Parameter[] }>>;

describe('the OpenAPI document', () => {
  test('the served OpenAPI document validates with a standard parser', async () => {
    // validate() dereferences in place: hand it a copy.
    const result = await validate(structuredClone(buildOpenApiDocument()));
    expect(result.valid, result.valid ? '' : compileErrors(result)).toBe(true);
  });

  test('path parameters are typed as the routes parse them: part numbers as integers, ids as hex strings', () => {
    const paths = buildOpenApiDocument().paths as Operations;
    const part = paths['/v1/uploads/{id}/parts/{n}']!.put!.parameters!;
    expect(part.map((p) => [p.name, p.in, p.required, p.schema.type])).toEqual([
      ['id', 'path', true, 'string'],
      ['n', 'path', true, 'integer'],
    ]);
    expect(part[0]!.schema.pattern).toBe('^[0-9a-f]{32}$');
    expect(paths['/v1/sessions/{id}']!.delete!.parameters!.map((p) => [p.name, p.schema.type])).toEqual([['id', 'string']]);
  });

  test('a signed file link declares its query: exp (integer) and sig required, name optional', () => {
    const paths = buildOpenApiDocument().paths as Operations;
    const query = paths['/v1/files/{file_id}']!.get!.parameters!.filter((p) => p.in === 'query');
    expect(query.map((p) => [p.name, p.required, p.schema.type])).toEqual([
      ['exp', true, 'integer'],
      ['sig', true, 'string'],
      ['name', false, 'string'],
    ]);
  });

  test('building refuses a path template whose parameters the operation does not declare', () => {
    const op = { summary: 's', result: OkResult, auth: true };
    expect(() => buildOpenApiDocument({ '/v1/things/{id}': { get: op } })).toThrow(/declares no params schema/);
    expect(() => buildOpenApiDocument({ '/v1/things/{id}': { get: { ...op, params: z.object({ thing: z.string() }) } } })).toThrow(/differ/);
    // A transform with no schema after it would be described as "anything".
    const untyped = z.object({ id: z.string().transform(Number) });
    expect(() => buildOpenApiDocument({ '/v1/things/{id}': { get: { ...op, params: untyped } } })).toThrow(/no describable parsed type/);
  });
});
