import { z } from 'zod';
import { Timestamp } from '../common.js';

/** A short-lived, single-use ticket that authorizes one WebSocket upgrade. */
export const ConnectTicket = z.object({
  ticket: z.string(),
  expires_at: Timestamp,
  /** Path to open with the ticket, relative to the API origin. */
  url: z.string(),
});
export type ConnectTicket = z.infer<typeof ConnectTicket>;

export const ConnectQuery = z.object({ ticket: z.string().min(1).max(512) });
