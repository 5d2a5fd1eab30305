/**
 * multipart/form-data as Telegram's server reads it, which is more lenient
 * than the runtime's FormData parser: frameworks hand-roll their bodies
 * (grammY writes `content-disposition:form-data;name="x";filename=a.jpg`,
 * with no spaces and an unquoted filename), so header names are matched in
 * any case and parameter values quoted or not. A part with a filename is a
 * file; any other part is text. The body itself is read as a stream
 * (multipart-stream.ts); this module reads the boundary and a part's headers.
 */

export function boundaryOf(contentType: string): string | null {
  const m = /;\s*boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  return m ? (m[1] ?? m[2] ?? null) : null;
}

/** A named part: text, or a file with the name it was sent as and its declared type (never trusted: stored files are sniffed). */
export type PartHead = { name: string; file: { filename: string; type: string } | null };

/** What a part's header block (the bytes before its blank line) says; null for a part without a name, which is skipped. */
export function partHeadOf(headerBytes: Uint8Array): PartHead | null {
  const headers = parseHeaders(new TextDecoder().decode(headerBytes));
  const disposition = headers.get('content-disposition') ?? '';
  const name = param(disposition, 'name');
  if (name === null) return null;
  const filename = param(disposition, 'filename');
  if (filename === null) return { name, file: null };
  return { name, file: { filename: filename || name, type: headers.get('content-type') ?? 'application/octet-stream' } };
}

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
