import { createContext } from 'preact';
import { useContext } from 'preact/hooks';

/** Every modal the messenger can open, with what it needs. One is open at a time. */
export type ModalRequest =
  | { kind: 'settings' }
  | { kind: 'contacts' }
  /** `back`: the modal it was opened from, shown again when it closes (Settings → Edit profile). */
  | { kind: 'profile'; back?: 'settings' }
  | { kind: 'new-chat' }
  | { kind: 'new-group' }
  | { kind: 'new-supergroup' }
  | { kind: 'new-channel' }
  | { kind: 'forward'; chatId: number; messageIds: number[] }
  | { kind: 'delete'; chatId: number; messageId: number }
  | { kind: 'chat-info'; chatId: number }
  | { kind: 'user-info'; userId: number }
  | { kind: 'report'; target: ReportTarget }
  /** After a new group left out people whose privacy lets only some add them: offer invite links. */
  | { kind: 'invite-missing'; chatId: number; userIds: number[] };

/** What a report is about: a message, a chat or a person. */
export type ReportTarget =
  | { kind: 'message'; chatId: number; messageId: number }
  | { kind: 'chat'; chatId: number }
  | { kind: 'user'; userId: number };

export const ModalsContext = createContext<(request: ModalRequest | null) => void>(() => {});

export function useOpenModal(): (request: ModalRequest | null) => void {
  return useContext(ModalsContext);
}
