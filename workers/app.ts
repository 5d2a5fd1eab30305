import { Hono } from 'hono';
import type { AuthenticatedSession } from '../d1/queries/sessions.js';
import type { Env } from '../durable-objects/env.js';

export type AppEnv = {
  Bindings: Env;
  Variables: {
    /** Set by `requireSession()`: who is calling, from which session and device. */
    session: AuthenticatedSession;
  };
};

/** Every route module builds its sub-app with this, so handlers see typed bindings. */
export function newApp() {
  return new Hono<AppEnv>();
}
