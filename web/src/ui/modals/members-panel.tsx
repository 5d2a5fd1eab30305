import { useEffect, useState } from 'preact/hooks';
import type { Chat, ChatMember } from '../../../../protocol/messages.js';
import { describeError } from '../../lib/errors.js';
import { memberCount } from '../../lib/people.js';
import { MemberList } from '../../model/member-list.js';
import { useMessenger } from '../context.js';
import type { MenuItem } from '../common/menu.js';
import { Spinner } from '../common/spinner.js';
import { VirtualList } from '../common/virtual-list.js';
import { MemberRow } from './member-row.js';

/** Matches .member-list__item's height: the windowing places rows by it. */
const ROW_HEIGHT = 56;

/**
 * Everyone in a group, supergroup or (for its managers) channel: a search
 * box and a windowed list paged from getChatMembers as it scrolls (admins
 * first, with their role). The same few requests and DOM rows for 20
 * members as for 200,000.
 */
export function MembersPanel({ chat, total, actionsFor }: { chat: Chat; total: number; actionsFor: (member: ChatMember) => MenuItem[] }) {
  const messenger = useMessenger();
  const { client, users } = messenger;
  const [list] = useState(
    () =>
      new MemberList(
        (params) => client.api.getChatMembers({ chat_id: chat.id, ...params }),
        (page) => {
          users.add(page);
          // Their presence, one getUsers per page shown (pages come only as the user scrolls).
          void users.fetch(page.map((u) => u.id));
        },
      ),
  );

  useEffect(() => {
    void list.reload();
    const off = client.on('chat', (update) => {
      if (update.type === 'chat_member' && update.chat_id === chat.id) list.apply(update);
    });
    return () => {
      off();
      list.dispose();
    };
  }, [chat.id]);

  const noun = chat.kind === 'channel' ? 'Subscribers' : 'Members';
  const members = list.members.value;
  const query = list.query.value;
  const loading = list.loading.value;
  const error = list.error.value;

  let footer = null;
  if (error !== undefined) {
    footer = (
      <p role="alert">
        {describeError(error, 'group')}{' '}
        <button type="button" class="button button--small" onClick={() => void list.loadMore()}>
          Retry
        </button>
      </p>
    );
  } else if (loading) footer = <Spinner label={`Loading ${noun.toLowerCase()}`} />;
  else if (members.length === 0 && query.trim()) footer = <p>No one found.</p>;

  return (
    <section class="members-panel" aria-label={noun}>
      <h3 class="section-title members-panel__count">{memberCount(total, chat.kind)}</h3>
      <input
        class="field__input members-panel__search"
        type="search"
        aria-label={`Search ${noun.toLowerCase()}`}
        placeholder="Search by name or @username"
        maxLength={64}
        value={query}
        onInput={(e) => list.search(e.currentTarget.value)}
      />
      <VirtualList
        items={members}
        rowHeight={ROW_HEIGHT}
        label={noun}
        total={query.trim() ? undefined : total}
        renderRow={(member, rowProps) => <MemberRow key={member.user_id} member={member} actions={actionsFor(member)} rowProps={rowProps} />}
        onNearEnd={() => void list.loadMore()}
        footer={footer}
        resetKey={list.query.value.trim() ? `search:${query.trim()}` : ''}
      />
    </section>
  );
}
