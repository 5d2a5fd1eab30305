import type { Chat, ChatKind, ChatMember, Entity, ForwardOrigin, Message } from '../../protocol/messages.js';

/**
 * The ChatRoom's RPC surface, as the method layer calls it. Every method
 * authorizes `userId`/`actorId` against the chat's own membership (a
 * non-member gets NOT_FOUND, exactly as for a chat that does not exist) and
 * returns an Outcome (see ../outcome.ts).
 */
export type ChatSpec = {
  chatId: number;
  kind: ChatKind;
  title: string | null;
  creatorId: number | null;
  memberIds: number[];
  createdAt: number;
};

export type SendInput = {
  random_id: string;
  text: string;
  entities?: Entity[];
  reply_to_message_id?: number;
  fwd_from?: ForwardOrigin;
};

export type HistoryQuery = { offset_id?: number; direction: 'before' | 'after'; limit: number };

export type ChatSnapshot = { chat: Chat; members: ChatMember[] };

export interface ChatRoomApi {
  /** Creates the chat with its members, or returns it unchanged if it exists. */
  init(spec: ChatSpec): Chat;
  sendMessage(senderId: number, input: SendInput): Message;
  editMessage(userId: number, id: number, text: string, entities: Entity[] | undefined): Message;
  deleteMessages(userId: number, ids: number[], forEveryone: boolean): void;
  getHistory(userId: number, query: HistoryQuery): Message[];
  getMessages(userId: number, ids: number[]): Message[];
  readHistory(userId: number, maxId: number): { still_unread_count: number };
  setTyping(userId: number, action: 'typing' | 'cancel'): void;
  getChat(userId: number): ChatSnapshot;
  addMember(actorId: number, userId: number): Chat;
  removeMember(actorId: number, userId: number): Chat;
  leave(userId: number): void;
  editTitle(actorId: number, title: string): Chat;
  setAdmin(actorId: number, userId: number, isAdmin: boolean): Chat;
}
