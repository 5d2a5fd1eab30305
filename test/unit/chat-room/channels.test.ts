import { describe, expect, it } from 'vitest';
import { ErrorCode } from '../../../protocol/errors.js';
import { MAX_CHANNEL_SUBSCRIBERS } from '../../../protocol/messages.js';
import type { ChatSpec } from '../../../durable-objects/chat-room/api.js';
import { CHAT_ID, dump, groupSpec, rid, setup, T0 } from './harness.js';

const OWNER = 1;
const ADMIN = 2;
const READER = 3;
const OTHER_READER = 4;
const NEWCOMER = 5;

const code = (c: string) => expect.objectContaining({ code: c });
const channelSpec = (creatorId: number, memberIds: number[]): ChatSpec => ({ ...groupSpec(creatorId, memberIds, 'News'), kind: 'channel' });

async function channel() {
  const t = setup();
  t.room.init(channelSpec(OWNER, [OWNER, ADMIN, READER, OTHER_READER]));
  t.room.setAdmin(OWNER, ADMIN, true);
  await t.settle();
  return t;
}

describe('channels in the ChatRoom', () => {
  it('the creator and admins post; a subscriber gets FORBIDDEN and nothing is written', async () => {
    const { room, store, world, settle } = await channel();
    const start = room.getChat(READER).chat.pts!;
    room.sendMessage(OWNER, { random_id: rid(), text: 'Issue 1' });
    room.sendMessage(ADMIN, { random_id: rid(), text: 'Issue 2' });
    await settle();
    const before = dump(store);
    expect(() => room.sendMessage(READER, { random_id: rid(), text: 'me too' })).toThrow(code(ErrorCode.FORBIDDEN));
    expect(dump(store)).toEqual(before);
    // Posts are logged once in the channel (a large chat), never copied into subscribers' mailboxes.
    expect(world.updates(READER).filter((u) => u.type === 'new_message')).toEqual([]);
    const diff = room.getChannelDifference(READER, start);
    const posts = diff.kind === 'difference' ? diff.updates.flatMap((e) => (e.update.type === 'new_message' ? [e.update.message.text] : [])) : [];
    expect(posts).toEqual(['Issue 1', 'Issue 2']);
  });

  it('a post demoted from admin is still answered on retry, but a new post is refused', async () => {
    const { room } = await channel();
    const randomId = rid();
    const sent = room.sendMessage(ADMIN, { random_id: randomId, text: 'scoop' });
    room.setAdmin(OWNER, ADMIN, false);
    expect(room.sendMessage(ADMIN, { random_id: randomId, text: 'scoop' }).id).toBe(sent.id);
    expect(() => room.sendMessage(ADMIN, { random_id: rid(), text: 'another' })).toThrow(code(ErrorCode.FORBIDDEN));
  });

  it('subscribers see the managers and themselves, never each other; managers list everyone; the count is everyone', async () => {
    const { room, world } = await channel();
    const asReader = room.getChat(READER);
    expect(asReader.chat.member_ids.sort()).toEqual([OWNER, ADMIN, READER]);
    expect(asReader.chat.member_count).toBe(4);
    expect(asReader.members.map((m) => m.user_id).sort()).toEqual([OWNER, ADMIN, READER]);
    expect(room.getChat(OWNER).chat.member_ids.sort()).toEqual([OWNER, ADMIN]);
    // Managers page everyone with getChatMembers (the D1 index); getChat shows the managers and the reader.
    expect(room.getChat(ADMIN).members.map((m) => m.user_id).sort()).toEqual([OWNER, ADMIN]);
    expect(room.memberListAccess(ADMIN)).toEqual({ member_count: 4, large: true });
    // The snapshot each mailbox gets (at the join, and when a device comes online) is its own view, so it finds itself in it.
    const joined = world.updates(OTHER_READER).find((u) => u.type === 'chat');
    expect(joined?.type === 'chat' && joined.chat.member_ids.sort()).toEqual([OWNER, OTHER_READER]);
    expect(room.largeDialog(OTHER_READER).chat.member_ids.sort()).toEqual([OWNER, ADMIN, OTHER_READER]);
    expect(world.mailbox(OTHER_READER).getDialog(CHAT_ID)).toBeDefined();
  });

  it('a join reaches the newcomer only: no other subscriber, no manager, nothing logged for everyone', async () => {
    const { room, world, settle } = await channel();
    const before = { reader: world.updates(READER).length, owner: world.updates(OWNER).length, broadcasts: world.broadcasts.length };
    room.addMember(ADMIN, NEWCOMER);
    await settle();
    expect(world.updates(READER).length).toBe(before.reader);
    expect(world.updates(OWNER).length).toBe(before.owner);
    expect(world.broadcasts.length).toBe(before.broadcasts);
    expect(world.updates(NEWCOMER).map((u) => u.type)).toEqual(['chat', 'chat_member']);
    expect(room.getChat(OWNER).chat.member_count).toBe(5);
  });

  it('posts count each viewer once; views come with history and with the post itself', async () => {
    const { room } = await channel();
    const post = room.sendMessage(OWNER, { random_id: rid(), text: 'Issue 1' });
    expect(post.views).toBe(0);
    expect(room.getViews(READER, [post.id], true)).toEqual([{ id: post.id, views: 1 }]);
    expect(room.getViews(READER, [post.id, post.id], true)).toEqual([{ id: post.id, views: 1 }]);
    expect(room.getViews(OTHER_READER, [post.id], false)).toEqual([{ id: post.id, views: 1 }]);
    expect(room.getViews(OTHER_READER, [post.id], true)).toEqual([{ id: post.id, views: 2 }]);
    expect(room.getHistory(ADMIN, { direction: 'before', limit: 10 }).at(-1)?.views).toBe(2);
  });

  it('views skip unknown, deleted and hidden posts, and are for members of channels only', async () => {
    const { room } = await channel();
    const a = room.sendMessage(OWNER, { random_id: rid(), text: 'a' });
    const b = room.sendMessage(OWNER, { random_id: rid(), text: 'b' });
    const c = room.sendMessage(OWNER, { random_id: rid(), text: 'c' });
    room.deleteMessages(OWNER, [b.id], true);
    room.deleteMessages(READER, [c.id], false);
    expect(room.getViews(READER, [a.id, b.id, c.id, 999], true)).toEqual([{ id: a.id, views: 1 }]);
    expect(() => room.getViews(NEWCOMER, [a.id], true)).toThrow(code(ErrorCode.NOT_FOUND));

    const group = setup();
    group.room.init(groupSpec(OWNER, [OWNER, READER]));
    const m = group.room.sendMessage(OWNER, { random_id: rid(), text: 'hi' });
    expect(m.views).toBeUndefined();
    expect(() => group.room.getViews(READER, [m.id], true)).toThrow(code(ErrorCode.BAD_REQUEST));
  });

  it('an admin deletes anyone’s post for everyone; subscribers may react but not pin, and show no typing', async () => {
    const { room, world, settle } = await channel();
    const post = room.sendMessage(OWNER, { random_id: rid(), text: 'pinned soon' });
    room.deleteMessages(ADMIN, [room.sendMessage(OWNER, { random_id: rid(), text: 'oops' }).id], true);
    expect(() => room.pin(READER, post.id)).toThrow(code(ErrorCode.FORBIDDEN));
    expect(room.setReactions(READER, post.id, ['👍']).results).toEqual([expect.objectContaining({ count: 1 })]);
    room.setTyping(OWNER, 'typing');
    await settle();
    expect(world.ephemeral).toEqual([]);
  });

  it('a channel has no subscriber limit (past the old 1,000 too)', () => {
    const { room } = setup();
    const ids = Array.from({ length: MAX_CHANNEL_SUBSCRIBERS }, (_, i) => i + 1);
    room.init(channelSpec(1, ids));
    expect(room.addMember(1, MAX_CHANNEL_SUBSCRIBERS + 1).member_count).toBe(MAX_CHANNEL_SUBSCRIBERS + 1);
  });

  it('a bot is in a channel only as an admin: added by the creator, never demoted', () => {
    const { room } = setup();
    room.init({ ...channelSpec(OWNER, [OWNER, ADMIN, READER]), createdAt: T0 });
    room.setAdmin(OWNER, ADMIN, true);
    const bot = { user_id: 77, username: 'news_bot', privacy: true };
    expect(() => room.addMember(ADMIN, 77, bot)).toThrow(code(ErrorCode.FORBIDDEN));
    room.addMember(OWNER, 77, bot);
    expect(room.getChat(OWNER).members.find((m) => m.user_id === 77)?.role).toBe('admin');
    expect(() => room.setAdmin(OWNER, 77, false)).toThrow(code(ErrorCode.BAD_REQUEST));
    // A person added by an admin is a subscriber, as before.
    room.addMember(ADMIN, 78);
    expect(room.getMember(OWNER, 78)?.role).toBe('member');
    expect(room.getMember(READER, 78)).toBeNull();
  });
});
