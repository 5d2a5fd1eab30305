import { openChat } from '../../model/route.js';

/**
 * In a basic group that became a supergroup, in place of the composer: the
 * group is read-only (the server answers CHAT_MIGRATED to any change), and
 * the conversation goes on in the supergroup (Chat.migrated_to).
 */
export function MigratedNotice({ supergroupId }: { supergroupId: number }) {
  return (
    <div class="composer composer--disabled migration-note" role="status">
      <p>This group was upgraded to a supergroup.</p>
      <button type="button" class="button button--primary" onClick={() => openChat(supergroupId)}>
        Open the supergroup
      </button>
    </div>
  );
}

/** At the top of a supergroup made from a basic group: its earlier messages stay in that group (Chat.migrated_from). */
export function MigratedFromNote({ groupId }: { groupId: number }) {
  return (
    <div class="migration-bar" role="note">
      <span>Upgraded from a basic group.</span>
      <button type="button" class="button button--small" onClick={() => openChat(groupId)}>
        Earlier messages
      </button>
    </div>
  );
}
