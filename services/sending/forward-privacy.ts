import type { Db } from '../../d1/db.js';
import { findAccountsByIds } from '../../d1/queries/accounts.js';
import { ownersAllowing } from '../../d1/queries/privacy.js';
import type { Original } from './outgoing.js';

/**
 * The authors among these originals whose "forwards" privacy rule (or a
 * block) leaves the forwarder out, with the name their forwards show
 * instead of a link to the account (Telegram's from_name). Asked once, at
 * forward time, of the one forwarding: the stored origin is what every
 * reader of the forward sees. A forward of a forward keeps its first origin,
 * so only first-hand originals are asked; one's own messages never are.
 */
export async function unlinkedAuthors(db: Db, forwarderId: number, originals: Iterable<Original>): Promise<Map<number, string>> {
  const authors = new Set<number>();
  for (const o of originals) if (!o.fwd_from && o.sender_id !== null && o.sender_id !== forwarderId) authors.add(o.sender_id);
  if (authors.size === 0) return new Map();
  const linked = await ownersAllowing(db, forwarderId, [...authors], 'forwards');
  const unlinked = [...authors].filter((id) => !linked.has(id));
  if (unlinked.length === 0) return new Map();
  return new Map((await findAccountsByIds(db, unlinked)).map((a) => [a.id, a.displayName]));
}
