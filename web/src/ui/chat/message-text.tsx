import type { ComponentChildren } from 'preact';
import type { Entity } from '../../../../protocol/messages.js';
import { safeHref, toRichTree, type RichNode } from '../../lib/rich-text.js';

/** A message's text with its entities as elements: bold, italic, code, links, mentions… */
export function MessageText({ text, entities }: { text: string; entities: readonly Entity[] }) {
  return <>{toRichTree(text, entities).map((node, i) => renderNode(node, i, text))}</>;
}

function renderNode(node: RichNode, key: number, text: string): ComponentChildren {
  if (node.kind === 'text') return node.text;
  const children = node.children.map((child, i) => renderNode(child, i, text));
  const { entity } = node;
  const covered = text.slice(entity.offset, entity.offset + entity.length);
  switch (entity.type) {
    case 'bold':
      return <strong key={key}>{children}</strong>;
    case 'italic':
      return <em key={key}>{children}</em>;
    case 'underline':
      return <u key={key}>{children}</u>;
    case 'strikethrough':
      return <s key={key}>{children}</s>;
    case 'code':
      return (
        <code key={key} class="inline-code">
          {children}
        </code>
      );
    case 'pre':
      return (
        <pre key={key} class="code-block" data-language={entity.language}>
          <code>{children}</code>
        </pre>
      );
    case 'url':
    case 'text_link': {
      const href = safeHref(entity.type === 'url' ? covered : (entity.url ?? ''));
      if (!href) return <span key={key}>{children}</span>;
      return (
        <a key={key} href={href} target="_blank" rel="noopener noreferrer nofollow" title={entity.type === 'text_link' ? href : undefined}>
          {children}
        </a>
      );
    }
    case 'mention':
      return (
        <a key={key} href={`#/mention/${covered.slice(1)}`} class="mention" data-mention={covered.slice(1)}>
          {children}
        </a>
      );
    case 'text_mention':
      return (
        <a key={key} href={`#/user/${entity.user_id ?? 0}`} class="mention">
          {children}
        </a>
      );
    default:
      entity.type satisfies never;
      return children;
  }
}
