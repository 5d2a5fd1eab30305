import type { User } from '../../../protocol/common.js';
import { EdgegramError, ErrorCode } from '../../../protocol/errors.js';
import type { EdgegramClient } from '../../../client/client.js';

/**
 * A person by username, for the places that add people (new group, add
 * member). People and public chats share one namespace, so a name may be a
 * group's: that is told apart as "no such person", in the same words.
 */
export async function resolvePerson(client: EdgegramClient, username: string): Promise<User> {
  const { user } = await client.api.resolveUsername({ username: username.replace(/^@/, '') });
  if (!user) throw new EdgegramError(ErrorCode.NOT_FOUND, 'This username belongs to a group or channel, not a person');
  return user;
}
