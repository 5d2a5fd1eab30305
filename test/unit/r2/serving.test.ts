import { describe, expect, test } from 'vitest';
import { expectedPartSize, partSizeFrom, planUpload } from '../../../r2/plan.js';
import { parseRange, singleByteRange } from '../../../r2/ranges.js';
import { contentDisposition, etagMatches, servedType } from '../../../r2/serving.js';

const MiB = 1024 * 1024;

describe('ranges (RFC 9110)', () => {
  test('one byte range, open-ended, suffix, clamped; unsatisfiable past the end', () => {
    expect(parseRange('bytes=0-9', 100)).toEqual({ kind: 'range', offset: 0, length: 10 });
    expect(parseRange('bytes=90-', 100)).toEqual({ kind: 'range', offset: 90, length: 10 });
    expect(parseRange('bytes=-5', 100)).toEqual({ kind: 'range', offset: 95, length: 5 });
    expect(parseRange('bytes=-500', 100)).toEqual({ kind: 'range', offset: 0, length: 100 });
    expect(parseRange('bytes=50-1000', 100)).toEqual({ kind: 'range', offset: 50, length: 50 });
    expect(parseRange('bytes=100-', 100)).toEqual({ kind: 'unsatisfiable' });
    expect(parseRange('bytes=-0', 100)).toEqual({ kind: 'unsatisfiable' });
  });

  test('anything else is the whole file', () => {
    for (const header of [undefined, '', 'bytes=', 'bytes=-', 'items=0-1', 'bytes=0-1,3-4', 'bytes=9-3', 'bytes=a-b']) {
      expect(parseRange(header, 100), String(header)).toEqual({ kind: 'whole' });
    }
    expect(singleByteRange('bytes=0-1,3-4')).toBeUndefined();
    expect(singleByteRange('bytes=9-3')).toBeUndefined();
    expect(singleByteRange(' bytes=3-9 ')).toBe('bytes=3-9');
  });
});

describe('serving policy', () => {
  test('only media a browser renders without running anything is inline', () => {
    expect(servedType('image/jpeg')).toBe('image/jpeg');
    expect(servedType('audio/ogg; codecs=opus')).toBe('audio/ogg; codecs=opus');
    for (const mime of ['text/html', 'image/svg+xml', 'application/xml', 'application/pdf', 'application/octet-stream', 'text/plain']) {
      expect(servedType(mime), mime).toBe('application/octet-stream');
    }
  });

  test('Content-Disposition: attachment for everything not inline, names encoded (RFC 6266/8187)', () => {
    expect(contentDisposition('application/octet-stream', undefined)).toBe('attachment');
    expect(contentDisposition('image/png', 'a.png')).toBe(`inline; filename="a.png"; filename*=UTF-8''a.png`);
    expect(contentDisposition('application/octet-stream', 'x"\\%.html')).toBe(
      `attachment; filename="x___.html"; filename*=UTF-8''x%22%5C%25.html`,
    );
  });

  test('entity tags: weak comparison for If-None-Match, strong for If-Range', () => {
    expect(etagMatches('"a", "b"', '"b"')).toBe(true);
    expect(etagMatches('*', '"b"')).toBe(true);
    expect(etagMatches('W/"b"', '"b"')).toBe(true);
    expect(etagMatches('W/"b"', '"b"', false)).toBe(false);
    expect(etagMatches(undefined, '"b"')).toBe(false);
  });
});

describe('upload plans', () => {
  test('single up to one part, then parts of exactly part_size and a shorter last one', () => {
    expect(planUpload(8 * MiB, 8 * MiB)).toMatchObject({ mode: 'single', partCount: 1 });
    const plan = planUpload(8 * MiB + 1, 8 * MiB);
    expect(plan).toMatchObject({ mode: 'multipart', partCount: 2 });
    expect(expectedPartSize(plan, 1)).toBe(8 * MiB);
    expect(expectedPartSize(plan, 2)).toBe(1);
    expect(() => expectedPartSize(plan, 3)).toThrow(expect.objectContaining({ code: 'UPLOAD_PART_INVALID' }));
    expect(() => expectedPartSize(plan, 0)).toThrow(expect.objectContaining({ code: 'UPLOAD_PART_INVALID' }));
  });

  test('the configured part size is honoured only within R2 limits', () => {
    expect(partSizeFrom(undefined)).toBe(8 * MiB);
    expect(partSizeFrom(String(5 * MiB))).toBe(5 * MiB);
    expect(partSizeFrom(String(5 * MiB - 1))).toBe(8 * MiB);
    expect(partSizeFrom('lots')).toBe(8 * MiB);
  });
});
