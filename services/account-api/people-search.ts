import { database } from '../../d1/db.js';
import { accountsByUsernamePrefix, findAccountsByIds } from '../../d1/queries/accounts.js';
import { listContacts } from '../../d1/queries/contacts.js';
import { USERNAME_PATTERN } from '../../protocol/common.js';
import type { Handlers } from './dispatch.js';
import { usersSeenBy } from './seen-users.js';
import { countStrangers } from './users.js';

/**
 * searchPeople: the caller's contacts matched in memory (at most
 * MAX_CONTACTS rows, already one indexed read), and others by username
 * prefix on D1's unique index (a range read, whatever the number of
 * accounts). Names of strangers are never searched: a display name is not
 * a handle one chose to publish.
 */
export const peopleSearchHandlers: Handlers<'searchPeople'> = {
  async searchPeople(ctx, p) {
    const db = database(ctx.env.DB);
    const me = ctx.caller.userId;
    const needle = p.query.replace(/^@/, '').toLowerCase();
    const contacts = await listContacts(db, me);
    const contactIds = new Set(contacts.map((c) => c.contactId));
    const people = new Map((await findAccountsByIds(db, [...contactIds])).map((a) => [a.id, a]));
    const startsWord = (text: string | null | undefined) => !!text && text.toLowerCase().split(/\s+/).some((w) => w.startsWith(needle));
    const matched = contacts.filter((c) => {
      const person = people.get(c.contactId);
      return (
        person !== undefined &&
        (startsWord(c.firstName) || startsWord(c.lastName) || startsWord(person.displayName) || person.username.toLowerCase().startsWith(needle))
      );
    });
    const byUsername =
      needle.length > 0 && USERNAME_PATTERN.test(needle.padEnd(5, 'a')) ? await accountsByUsernamePrefix(db, needle, p.limit + contactIds.size + 1) : [];
    const others = byUsername.filter((a) => a.id !== me && !contactIds.has(a.id)).slice(0, p.limit);
    await countStrangers(ctx, others.length);
    return {
      contacts: await usersSeenBy(db, me, matched.slice(0, p.limit).map((c) => people.get(c.contactId)!)),
      others: await usersSeenBy(db, me, others),
    };
  },
};
