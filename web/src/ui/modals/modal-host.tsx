import { ChatInfoModal } from './chat-info-modal.js';
import { ContactsModal } from './contacts-modal.js';
import { DeleteModal } from './delete-modal.js';
import { ForwardModal } from './forward-modal.js';
import { InviteMissingModal } from './invite-missing-modal.js';
import { useOpenModal, type ModalRequest } from './modals-context.js';
import { NewChatModal } from './new-chat-modal.js';
import { NewGroupModal } from './new-group-modal.js';
import { ProfileModal } from './profile-modal.js';
import { ReportModal } from './report-modal.js';
import { SettingsModal } from './settings-modal.js';
import { UserInfoModal } from './user-info-modal.js';

export type { ModalRequest };

export function ModalHost({ request, onClose }: { request: ModalRequest; onClose: () => void }) {
  const openModal = useOpenModal();
  switch (request.kind) {
    case 'settings':
      return <SettingsModal onClose={onClose} />;
    case 'contacts':
      return <ContactsModal onClose={onClose} />;
    case 'profile':
      return <ProfileModal onClose={request.back ? () => openModal({ kind: request.back! }) : onClose} />;
    case 'new-chat':
      return <NewChatModal onClose={onClose} />;
    case 'new-group':
      return <NewGroupModal kind="group" onClose={onClose} />;
    case 'new-supergroup':
      return <NewGroupModal kind="supergroup" onClose={onClose} />;
    case 'new-channel':
      return <NewGroupModal kind="channel" onClose={onClose} />;
    case 'forward':
      return <ForwardModal chatId={request.chatId} messageIds={request.messageIds} onClose={onClose} />;
    case 'delete':
      return <DeleteModal chatId={request.chatId} messageId={request.messageId} onClose={onClose} />;
    case 'chat-info':
      return <ChatInfoModal chatId={request.chatId} onClose={onClose} />;
    case 'user-info':
      return <UserInfoModal userId={request.userId} onClose={onClose} />;
    case 'report':
      return <ReportModal target={request.target} onClose={onClose} />;
    case 'invite-missing':
      return <InviteMissingModal chatId={request.chatId} userIds={request.userIds} onClose={onClose} />;
    default:
      request satisfies never;
      return null;
  }
}
