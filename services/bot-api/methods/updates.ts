import type { BotApiMe, BotApiWebhookInfo } from '../../../protocol/bot-api/types.js';
import { mailbox } from '../../../durable-objects/stubs.js';
import type { BotHandlers } from '../dispatch.js';
import { botError, unwrapBot } from '../errors.js';
import { toBotUser } from '../translate/users.js';
import { toBotUpdates } from '../translate/updates.js';
import type { Env } from '../../../durable-objects/env.js';
import { dohResolver, resolveAndCheck, webhookPolicy } from '../webhook-target.js';
import { Described } from './shared.js';

/** Telegram's checks and the server's own (webhook-target.ts), with Telegram's "bad webhook: …" texts. */
async function checkWebhookTarget(env: Env, url: string): Promise<void> {
  const verdict = await resolveAndCheck(url, webhookPolicy(env), dohResolver());
  if (!verdict.ok) throw botError.badRequest(`bad webhook: ${verdict.reason}`);
}

/** Telegram's rule for secret_token: 1-256 of A-Z, a-z, 0-9, _ and -. Absent is fine. */
function allowedSecretShape(value: string | undefined): boolean {
  return value === undefined || /^[A-Za-z0-9_-]{1,256}$/.test(value);
}

export const updateMethods: BotHandlers<'getMe' | 'logOut' | 'close' | 'getUpdates' | 'setWebhook' | 'deleteWebhook' | 'getWebhookInfo'> = {
  async getMe(ctx) {
    return {
      ...toBotUser(ctx.bot.user),
      can_join_groups: true,
      can_read_all_group_messages: !ctx.bot.privacyMode,
      supports_inline_queries: false,
      can_connect_to_business: false,
      has_main_web_app: false,
    } satisfies BotApiMe;
  },

  // There is one Edgegram server: nothing to log out of or to move away from.
  async logOut() {
    return true;
  },
  async close() {
    return true;
  },

  async getUpdates(ctx, p) {
    const limit = Math.min(100, Math.max(1, p.limit ?? 100));
    const batch = unwrapBot(
      await mailbox(ctx.env, ctx.bot.id).botGetUpdates(ctx.bot.id, {
        limit,
        timeoutS: Math.max(0, p.timeout ?? 0),
        ...(p.offset !== undefined ? { offset: p.offset } : {}),
        ...(p.allowed_updates !== undefined ? { allowed: p.allowed_updates } : {}),
      }),
    );
    return toBotUpdates(ctx.env, ctx.bot.id, batch);
  },

  async setWebhook(ctx, p) {
    if (p.url === '') {
      unwrapBot(await mailbox(ctx.env, ctx.bot.id).botDeleteWebhook(ctx.bot.id, p.drop_pending_updates ?? false));
      return new Described(true, 'Webhook was deleted');
    }
    const maxConnections = p.max_connections ?? 40;
    if (maxConnections < 1 || maxConnections > 100) throw botError.badRequest('bad webhook: max_connections must be between 1 and 100');
    if (!allowedSecretShape(p.secret_token)) throw botError.badRequest('secret token contains unallowed characters');
    // Last: it may resolve the host.
    await checkWebhookTarget(ctx.env, p.url);
    unwrapBot(
      await mailbox(ctx.env, ctx.bot.id).botSetWebhook(ctx.bot.id, {
        url: p.url,
        secret: p.secret_token ?? null,
        maxConnections,
        dropPending: p.drop_pending_updates ?? false,
        ...(p.allowed_updates !== undefined ? { allowed: p.allowed_updates } : {}),
      }),
    );
    return new Described(true, 'Webhook was set');
  },

  async deleteWebhook(ctx, p) {
    unwrapBot(await mailbox(ctx.env, ctx.bot.id).botDeleteWebhook(ctx.bot.id, p.drop_pending_updates ?? false));
    return new Described(true, 'Webhook was deleted');
  },

  async getWebhookInfo(ctx) {
    const info = unwrapBot(await mailbox(ctx.env, ctx.bot.id).botWebhookInfo(ctx.bot.id));
    return { ...info, has_custom_certificate: false } satisfies BotApiWebhookInfo;
  },
};
