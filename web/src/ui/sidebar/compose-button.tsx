import { MenuButton } from '../common/menu.js';
import { useOpenModal } from '../modals/modals-context.js';

/** The round pencil button: start a private chat, a group, a supergroup or a channel. */
export function ComposeButton() {
  const openModal = useOpenModal();
  return (
    <div class="compose-button">
      <MenuButton
        label="New chat"
        icon="pencil"
        class="fab"
        placement="above-end"
        items={() => [
          { label: 'New message', icon: 'person', onSelect: () => openModal({ kind: 'new-chat' }) },
          { label: 'New group', icon: 'group', onSelect: () => openModal({ kind: 'new-group' }) },
          { label: 'New supergroup', icon: 'group', onSelect: () => openModal({ kind: 'new-supergroup' }) },
          { label: 'New channel', icon: 'channel', onSelect: () => openModal({ kind: 'new-channel' }) },
        ]}
      />
    </div>
  );
}
