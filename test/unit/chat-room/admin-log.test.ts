import { describe, expect, it } from 'vitest';
import { ADMIN_LOG_RETENTION_MS } from '../../../protocol/admin-log.js';
import { ErrorCode } from '../../../protocol/errors.js';
import { DEFAULT_CHAT_PERMISSIONS } from '../../../protocol/messages.js';
import { groupSpec, rid, setup } from './harness.js';

const OWNER = 1;
const ADMIN = 2;
const MEMBER = 3;
const OTHER = 4;

async function community() {
  const t = setup();
  t.room.init(groupSpec(OWNER, [OWNER, ADMIN, MEMBER, OTHER]));
  t.room.setAdmin(OWNER, ADMIN, true);
  await t.settle();
  return t;
}

describe('recent actions (the admin log)', () => {
  it('notes what managers do, newest first, with who did it to whom', async () => {
    const { room, tick } = await community();
    room.editTitle(ADMIN, 'Renamed');
    tick();
    const sent = room.sendMessage(MEMBER, { random_id: rid(), text: 'spam' });
    room.deleteMessages(ADMIN, [sent.id], true);
    tick();
    room.restrict(OWNER, MEMBER, { ...DEFAULT_CHAT_PERMISSIONS, can_send_media: false }, null);
    room.setSlowMode(OWNER, 30);
    room.ban(ADMIN, OTHER, null);
    const log = room.getAdminLog(OWNER);
    expect(log.map((e) => [e.action, e.actor_id, e.user_id])).toEqual([
      ['member_banned', ADMIN, OTHER],
      ['member_removed', ADMIN, OTHER],
      ['slow_mode_changed', OWNER, undefined],
      ['member_restricted', OWNER, MEMBER],
      ['message_deleted', ADMIN, undefined],
      ['title_changed', ADMIN, undefined],
      // The appointment before it all.
      ['admin_rights_changed', OWNER, ADMIN],
    ]);
    expect(log.find((e) => e.action === 'title_changed')?.details).toEqual({ title: 'Renamed' });
    expect(log.find((e) => e.action === 'message_deleted')?.details).toEqual({ message_ids: [sent.id] });
    expect(log.find((e) => e.action === 'slow_mode_changed')?.details).toEqual({ seconds: 30 });
  });

  it('filters by admin and by action, and pages by id', async () => {
    const { room } = await community();
    room.editTitle(ADMIN, 'One');
    room.editTitle(OWNER, 'Two');
    room.setSlowMode(ADMIN, 10);
    expect(room.getAdminLog(OWNER, { actorIds: [ADMIN] }).map((e) => e.action)).toEqual(['slow_mode_changed', 'title_changed']);
    expect(room.getAdminLog(OWNER, { actions: ['title_changed'] }).map((e) => e.details.title)).toEqual(['Two', 'One']);
    const [newest] = room.getAdminLog(OWNER, { limit: 1 });
    expect(room.getAdminLog(OWNER, { beforeId: newest!.id, limit: 1 })[0]?.details).toEqual({ title: 'Two' });
  });

  it('keeps 48 hours', async () => {
    const { room, tick } = await community();
    room.editTitle(ADMIN, 'Old news');
    tick(ADMIN_LOG_RETENTION_MS + 1);
    expect(room.getAdminLog(OWNER)).toEqual([]);
    room.editTitle(ADMIN, 'Fresh');
    expect(room.getAdminLog(OWNER).map((e) => e.details.title)).toEqual(['Fresh']);
  });

  it('is for the creator and admins only', async () => {
    const { room } = await community();
    expect(() => room.getAdminLog(MEMBER)).toThrow(expect.objectContaining({ code: ErrorCode.FORBIDDEN }));
    expect(() => room.getAdminLog(99)).toThrow(expect.objectContaining({ code: ErrorCode.NOT_FOUND }));
  });
});
