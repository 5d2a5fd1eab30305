/**
 * The Bot API's multipart parser as it was before bodies were streamed
 * (workers/bot-api/multipart.ts at 438bb2f, unchanged but for this
 * comment and boundaryOf, which stayed there): it read a whole body. Kept as the oracle the streaming parser
 * must agree with, byte for byte, on every body and every chunking.
 *
 * multipart/form-data as Telegram's server reads it, which is more lenient
 * than the runtime's FormData parser: frameworks hand-roll their bodies
 * (grammY writes `content-disposition:form-data;name="x";filename=a.jpg`,
 * with no spaces and an unquoted filename), so header names are matched in
 * any case and parameter values quoted or not. A part with a filename is a
 * File; any other part is text.
 */
export type FormValue = string | File;

export function parseMultipart(body: Uint8Array, boundary: string): [string, FormValue][] {
  const enc = new TextEncoder();
  const dec = new TextDecoder();
  const delimiter = enc.encode(`--${boundary}`);
  const out: [string, FormValue][] = [];
  let at = indexOf(body, delimiter, 0);
  if (at < 0) throw new Error('no multipart boundary in the body');
  for (;;) {
    let start = at + delimiter.length;
    // "--" after a delimiter ends the body.
    if (body[start] === 0x2d && body[start + 1] === 0x2d) return out;
    if (body[start] === 0x0d && body[start + 1] === 0x0a) start += 2;
    const headersEnd = indexOf(body, CRLF2, start);
    if (headersEnd < 0) throw new Error('a multipart part has no end of headers');
    const next = indexOf(body, enc.encode(`\r\n--${boundary}`), headersEnd + 4);
    if (next < 0) throw new Error('a multipart part has no closing boundary');
    const headers = parseHeaders(dec.decode(body.subarray(start, headersEnd)));
    const content = body.subarray(headersEnd + 4, next);
    const disposition = headers.get('content-disposition') ?? '';
    const name = param(disposition, 'name');
    if (name !== null) {
      const filename = param(disposition, 'filename');
      if (filename !== null) {
        out.push([name, new File([content.slice()], filename || name, { type: headers.get('content-type') ?? 'application/octet-stream' })]);
      } else {
        out.push([name, dec.decode(content)]);
      }
    }
    at = next + 2;
  }
}

const CRLF2 = new Uint8Array([0x0d, 0x0a, 0x0d, 0x0a]);

function parseHeaders(text: string): Map<string, string> {
  const headers = new Map<string, string>();
  for (const line of text.split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  return headers;
}

/** A parameter of a header value, quoted (with \" escapes) or bare. */
function param(header: string, key: string): string | null {
  const re = new RegExp(`(?:^|;)\\s*${key}\\s*=\\s*(?:"((?:[^"\\\\]|\\\\.)*)"|([^;]*))`, 'i');
  const m = re.exec(header);
  if (!m) return null;
  return m[1] !== undefined ? m[1].replace(/\\(.)/g, '$1') : m[2]!.trim();
}

/** Position of `needle` in `haystack` from `from`, or -1. */
function indexOf(haystack: Uint8Array, needle: Uint8Array, from: number): number {
  const first = needle[0]!;
  const last = haystack.length - needle.length;
  for (let i = haystack.indexOf(first, from); i !== -1 && i <= last; i = haystack.indexOf(first, i + 1)) {
    let j = 1;
    while (j < needle.length && haystack[i + j] === needle[j]) j++;
    if (j === needle.length) return i;
  }
  return -1;
}
