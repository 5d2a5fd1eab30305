import { z } from 'zod';
import { Id } from './common.js';
import { ErrorBody } from './errors.js';
import { EphemeralEvent, UpdateEnvelope } from './updates.js';

/** The largest WebSocket frame the server reads; longer frames get BAD_REQUEST. */
export const MAX_FRAME_BYTES = 256 * 1024;

/**
 * Keep-alive. The server answers this exact text with PONG_FRAME without
 * waking the Durable Object (`setWebSocketAutoResponse`), so it must be sent
 * byte-for-byte as written here.
 */
export const PING_FRAME = '{"t":"ping"}';
export const PONG_FRAME = '{"t":"pong"}';

/** Frames a client sends. */
export const CallFrame = z.object({
  t: z.literal('call'),
  /** Chosen by the client; echoed in the result or error. */
  id: z.string().min(1).max(64),
  method: z.string().min(1).max(64),
  params: z.unknown(),
});
export const PingFrame = z.object({ t: z.literal('ping') });
export const UpFrame = z.discriminatedUnion('t', [CallFrame, PingFrame]);
export type UpFrame = z.infer<typeof UpFrame>;

/** Frames the server sends. */
export const HelloFrame = z.object({
  t: z.literal('hello'),
  protocol_version: z.number().int(),
  user_id: Id,
  session_id: z.string(),
  device_id: z.string(),
});
export const ResultFrame = z.object({ t: z.literal('result'), id: z.string(), result: z.unknown() });
export const ErrorFrame = z.object({
  t: z.literal('error'),
  /** The call this answers, or null when the frame could not be parsed far enough to know. */
  id: z.string().nullable(),
  error: ErrorBody,
});
export const UpdatesFrame = z.object({ t: z.literal('updates'), updates: z.array(UpdateEnvelope).min(1) });
/**
 * A supergroup's or channel's updates, numbered by the chat's own pts (Chat.pts), not the
 * account's: apply when `local_pts + pts_count == pts` for that chat, else
 * getChannelDifference(chat_id, local_pts). Only online members get them.
 */
export const ChannelUpdatesFrame = z.object({ t: z.literal('channel_updates'), chat_id: Id, updates: z.array(UpdateEnvelope).min(1) });
export const EventFrame = z.object({ t: z.literal('event'), event: EphemeralEvent });
export const PongFrame = z.object({ t: z.literal('pong') });
export const DownFrame = z.discriminatedUnion('t', [
  HelloFrame,
  ResultFrame,
  ErrorFrame,
  UpdatesFrame,
  ChannelUpdatesFrame,
  EventFrame,
  PongFrame,
]);
export type DownFrame = z.infer<typeof DownFrame>;

/** WebSocket close codes the server uses (4000-4999 are application codes). */
export const CloseCode = {
  /** The session was terminated or logged out. */
  SESSION_TERMINATED: 4001,
  /** The server is going away (e.g. a deploy); reconnect and resync. */
  GOING_AWAY: 1001,
} as const;
