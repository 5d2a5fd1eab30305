import { z } from 'zod';

/** Shapes several method tables share (methods.ts and the tables it spreads in). */

/** No parameters at all (still strict: an unknown one is refused). */
export const Empty = z.object({}).strict();
/** The answer of a method that only acts. */
export const Ok = z.object({ ok: z.literal(true) });
