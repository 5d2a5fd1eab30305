import { MenuButton } from '../common/menu.js';
import { useOpenModal } from '../modals/modals-context.js';

/** The round pencil button: start a private chat or a group. */
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
        ]}
      />
    </div>
  );
}
