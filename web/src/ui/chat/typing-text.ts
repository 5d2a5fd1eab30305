import type { User } from '../../../../protocol/common.js';

/** "typing…" in a private chat; "Alice is typing…", "Alice and Bob are typing…", "3 people are typing…" in groups. */
export function typingText(userIds: readonly number[], isGroup: boolean, users: ReadonlyMap<number, User>): string {
  if (!isGroup) return 'typing…';
  const names = userIds.map((id) => users.get(id)?.display_name.split(' ')[0] ?? 'Someone');
  if (names.length === 1) return `${names[0]} is typing…`;
  if (names.length === 2) return `${names[0]} and ${names[1]} are typing…`;
  return `${names.length} people are typing…`;
}
