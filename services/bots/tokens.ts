import type { Db } from '../../d1/db.js';
import { findBot, type BotRecord } from '../../d1/queries/bots.js';

/**
 * Bot tokens: `<bot id>:<secret>`, the secret 35 random base64url characters
 * (like Telegram's). Only SHA-256 of the secret is stored; a presented token
 * is looked up by its id and compared in constant time.
 */
const TOKEN_PATTERN = /^(\d{1,15}):([A-Za-z0-9_-]{30,64})$/;

export function newBotSecret(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(27));
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '').slice(0, 35);
}

export function botToken(botId: number, secret: string): string {
  return `${botId}:${secret}`;
}

export async function hashBotSecret(secret: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(secret));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** The bot a token belongs to, or null for a malformed, unknown, revoked or deleted bot's token. */
export async function verifyBotToken(db: Db, token: string): Promise<BotRecord | null> {
  const match = TOKEN_PATTERN.exec(token);
  if (!match) return null;
  const botId = Number(match[1]);
  const [record, presented] = await Promise.all([findBot(db, botId), hashBotSecret(match[2]!)]);
  if (!record) return null;
  return constantTimeEqual(presented, record.bot.tokenHash) ? record : null;
}

/** Equal-length hex digests compared without an early exit. */
function constantTimeEqual(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}
