/** Keyboard formatting in the composer: wraps the selection in the markers parseMarkdown reads. */
export type FormatShortcut = 'bold' | 'italic' | 'underline' | 'strikethrough' | 'code' | 'link';

const MARKERS: Record<Exclude<FormatShortcut, 'link'>, string> = {
  bold: '**',
  italic: '__',
  underline: '++',
  strikethrough: '~~',
  code: '`',
};

export function wrapSelection(
  text: string,
  start: number,
  end: number,
  shortcut: FormatShortcut,
): { text: string; selectionStart: number; selectionEnd: number } {
  const selected = text.slice(start, end);
  if (shortcut === 'link') {
    const label = selected || 'link';
    const inserted = `[${label}](https://)`;
    const urlAt = start + label.length + 3 + 'https://'.length;
    return { text: text.slice(0, start) + inserted + text.slice(end), selectionStart: urlAt, selectionEnd: urlAt };
  }
  const marker = MARKERS[shortcut];
  const next = text.slice(0, start) + marker + selected + marker + text.slice(end);
  return { text: next, selectionStart: start + marker.length, selectionEnd: end + marker.length };
}
