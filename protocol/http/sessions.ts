import { z } from 'zod';
import { Timestamp } from '../common.js';

/** One signed-in device, as shown in "Active sessions". */
export const SessionInfo = z.object({
  id: z.string(),
  current: z.boolean(),
  device: z.object({
    id: z.string(),
    name: z.string(),
    platform: z.string(),
    app_version: z.string().nullable(),
    ip: z.string().nullable(),
    country: z.string().nullable(),
    city: z.string().nullable(),
  }),
  created_at: Timestamp,
  last_active_at: Timestamp,
});
export type SessionInfo = z.infer<typeof SessionInfo>;

export const SessionList = z.object({ sessions: z.array(SessionInfo) });
export type SessionList = z.infer<typeof SessionList>;

export const SessionIdParam = z.object({ id: z.string().regex(/^[0-9a-f]{32}$/, 'not a session id') });

export const TerminateOthersResult = z.object({ terminated: z.number().int().nonnegative() });
export type TerminateOthersResult = z.infer<typeof TerminateOthersResult>;
