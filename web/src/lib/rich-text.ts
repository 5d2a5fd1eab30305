import type { MessageMedia } from '../../../protocol/media.js';
import type { Entity, EntityType } from '../../../protocol/messages.js';

/**
 * Turns text + entities into a properly nested tree for rendering. Entities
 * may overlap without nesting (bold 0-10, italic 5-15): they are split at the
 * boundaries, so every node has one parent.
 */
export type RichNode = { kind: 'text'; text: string } | { kind: 'entity'; entity: Entity; children: RichNode[] };

interface Segment {
  start: number;
  end: number;
  /** Active entities, outermost first. */
  stack: Entity[];
}

/** Outermost first: earlier start, then longer, then a fixed type order (links outside styles). */
const TYPE_RANK: Record<EntityType, number> = {
  pre: 0,
  text_link: 1,
  url: 1,
  mention: 1,
  text_mention: 1,
  bold: 2,
  italic: 3,
  underline: 4,
  strikethrough: 5,
  code: 6,
};

export function toRichTree(text: string, entities: readonly Entity[]): RichNode[] {
  const valid = entities
    .map((e) => ({ ...e, length: Math.min(e.length, text.length - e.offset) }))
    .filter((e) => e.offset >= 0 && e.length > 0)
    .sort((a, b) => a.offset - b.offset || b.length - a.length || TYPE_RANK[a.type] - TYPE_RANK[b.type]);
  const cuts = new Set<number>([0, text.length]);
  for (const e of valid) {
    cuts.add(e.offset);
    cuts.add(e.offset + e.length);
  }
  const points = [...cuts].sort((a, b) => a - b);
  const segments: Segment[] = [];
  for (let i = 0; i + 1 < points.length; i++) {
    const start = points[i]!;
    const end = points[i + 1]!;
    segments.push({ start, end, stack: valid.filter((e) => e.offset <= start && e.offset + e.length >= end) });
  }
  return build(text, segments, 0);
}

function build(text: string, segments: Segment[], depth: number): RichNode[] {
  const nodes: RichNode[] = [];
  let i = 0;
  while (i < segments.length) {
    const entity = segments[i]!.stack[depth];
    let j = i + 1;
    while (j < segments.length && segments[j]!.stack[depth] === entity) j++;
    const group = segments.slice(i, j);
    if (entity) nodes.push({ kind: 'entity', entity, children: build(text, group, depth + 1) });
    else nodes.push({ kind: 'text', text: text.slice(group[0]!.start, group[group.length - 1]!.end) });
    i = j;
  }
  return nodes;
}

/** A link target the app will open: http(s) only, whatever the text says. */
export function safeHref(raw: string): string | undefined {
  const candidate = /^[a-z][a-z0-9+.-]*:/i.test(raw) ? raw : `https://${raw}`;
  try {
    const url = new URL(candidate);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : undefined;
  } catch {
    return undefined;
  }
}

/** One line of plain text for previews (dialog list, reply quotes). */
export function previewText(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

const MEDIA_LABELS: Record<MessageMedia['kind'], string> = {
  photo: 'Photo',
  video: 'Video',
  animation: 'GIF',
  voice: 'Voice message',
  audio: 'Audio',
  document: 'File',
};

/**
 * One line for a message that may carry media: what it is ("Photo", a file's
 * name, "Voice message"), then its caption, as Telegram's chat list shows it.
 */
export function messagePreview(message: { text: string; media?: { kind: MessageMedia['kind']; file: { file_name: string | null } } | null }): string {
  const caption = previewText(message.text);
  if (!message.media) return caption;
  const { kind, file } = message.media;
  const label = (kind === 'document' || kind === 'audio') && file.file_name ? file.file_name : MEDIA_LABELS[kind];
  return caption ? `${label}, ${caption}` : label;
}
