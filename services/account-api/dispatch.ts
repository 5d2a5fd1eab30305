import { EdgegramError, ErrorCode } from '../../protocol/errors.js';
import { isMethodName, methods, type MethodName, type MethodParams, type MethodResult } from '../../protocol/methods.js';
import { parseSchema } from './parse.js';
import type { CallContext } from './context.js';
import { accountDeletionHandlers } from './account-deletion.js';
import { adminHandlers } from './admins.js';
import { botHandlers } from './bots.js';
import { chatPhotoHandlers } from './chat-photos.js';
import { chatHandlers } from './chats.js';
import { contactHandlers } from './contacts.js';
import { dataExportHandlers } from './data-export.js';
import { privacyHandlers } from './privacy.js';
import { signInHandlers } from './sign-in.js';
import { discussionHandlers } from './discussion.js';
import { inviteHandlers } from './invites.js';
import { publicChatHandlers } from './public-chats.js';
import { mediaHandlers } from './media.js';
import { messageHandlers } from './messages.js';
import { profileHandlers } from './profile.js';
import { reportHandlers } from './reports.js';
import { profilePhotoHandlers } from './profile-photos.js';
import { peopleSearchHandlers } from './people-search.js';
import { searchHandlers } from './search.js';
import { securityHandlers } from './security.js';
import { syncHandlers } from './sync.js';
import { topicHandlers } from './topics.js';
import { userHandlers } from './users.js';

export type Handler<M extends MethodName> = (ctx: CallContext, params: MethodParams<M>) => Promise<MethodResult<M>>;
export type Handlers<K extends MethodName> = { [M in K]: Handler<M> };

/** Every method has exactly one handler; the compiler checks none is missing. */
const handlers: Handlers<MethodName> = {
  ...syncHandlers,
  ...messageHandlers,
  ...searchHandlers,
  ...mediaHandlers,
  ...chatHandlers,
  ...chatPhotoHandlers,
  ...adminHandlers,
  ...inviteHandlers,
  ...contactHandlers,
  ...privacyHandlers,
  ...publicChatHandlers,
  ...userHandlers,
  ...profileHandlers,
  ...profilePhotoHandlers,
  ...peopleSearchHandlers,
  ...securityHandlers,
  ...signInHandlers,
  ...botHandlers,
  ...topicHandlers,
  ...discussionHandlers,
  ...accountDeletionHandlers,
  ...reportHandlers,
  ...dataExportHandlers,
};

/**
 * Runs one account API call for an authenticated caller, from a WebSocket
 * frame or an HTTP request: the method name and params are validated against
 * the protocol before anything else sees them.
 */
export async function dispatch(ctx: CallContext, method: string, rawParams: unknown): Promise<unknown> {
  if (!isMethodName(method)) throw new EdgegramError(ErrorCode.UNKNOWN_METHOD, `Unknown method "${method.slice(0, 64)}"`);
  const params = parseSchema(methods[method].params, rawParams ?? {}, `params of ${method}`);
  const handler = handlers[method] as Handler<typeof method>;
  return handler(ctx, params as never);
}
