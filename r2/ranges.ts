/**
 * One byte range of a file, from a `Range` header (RFC 9110 §14). Anything
 * this does not serve as a range (no header, another unit, several ranges,
 * a malformed spec) is answered with the whole file, as the RFC allows.
 */
export type RangeRequest =
  | { kind: 'whole' }
  | { kind: 'range'; offset: number; length: number }
  | { kind: 'unsatisfiable' };

export function parseRange(header: string | null | undefined, size: number): RangeRequest {
  const match = header ? /^bytes=(\d*)-(\d*)$/.exec(header.trim()) : null;
  if (!match) return { kind: 'whole' };
  const [, first, last] = match;
  if (first === '' && last === '') return { kind: 'whole' };
  if (first === '') {
    // Suffix: the last N bytes.
    const n = Number(last);
    if (n === 0) return { kind: 'unsatisfiable' };
    const length = Math.min(n, size);
    return { kind: 'range', offset: size - length, length };
  }
  const start = Number(first);
  const end = last === '' ? size - 1 : Math.min(Number(last), size - 1);
  if (last !== '' && Number(last) < start) return { kind: 'whole' };
  if (start >= size) return { kind: 'unsatisfiable' };
  return { kind: 'range', offset: start, length: end - start + 1 };
}

/**
 * The header if it is one well-formed byte range (the only kind served as a
 * range), else undefined: decided before the size is known, so the edge
 * cache and R2 see exactly the ranges parseRange would serve.
 */
export function singleByteRange(header: string | null | undefined): string | undefined {
  const match = header ? /^bytes=(\d*)-(\d*)$/.exec(header.trim()) : null;
  if (!match || (match[1] === '' && match[2] === '')) return undefined;
  if (match[1] !== '' && match[2] !== '' && Number(match[2]) < Number(match[1])) return undefined;
  return header!.trim();
}

export function contentRange(offset: number, length: number, size: number): string {
  return `bytes ${offset}-${offset + length - 1}/${size}`;
}
