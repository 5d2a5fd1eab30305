import type { User } from '../../protocol/common.js';
import { runAccountDeletion } from '../../services/account-lifecycle/deletion.js';
import type { AlarmJobs } from '../alarm-jobs.js';
import type { Env } from '../env.js';
import type { MailboxJob } from './bot-side.js';

/** The account's own timed jobs on the mailbox's alarm. */
export type AccountJob = 'account_deletion';

export type AccountJobsDeps = {
  env: Env;
  userId: number;
  jobs: AlarmJobs<MailboxJob>;
  closeSessions(sessionIds: string[]): void;
  announceProfile(user: User): Promise<void>;
};

/**
 * The account's lifecycle jobs, run by the mailbox's alarm: its deletion
 * (services/account-lifecycle/deletion.ts), whose state and progress live
 * in D1, so this holds nothing but the alarm row. A run that finds the
 * deletion not due yet comes back at its due time; one that throws is
 * retried by AlarmJobs and resumes at its recorded step.
 */
export class AccountJobs {
  constructor(private readonly deps: AccountJobsDeps) {}

  /** deleteAccount scheduled the deletion for `dueAt`: the alarm comes then. */
  scheduleDeletion(dueAt: number): void {
    this.deps.jobs.schedule('account_deletion', dueAt);
  }

  readonly jobs = {
    account_deletion: async () => {
      const { env, userId, jobs } = this.deps;
      const again = await runAccountDeletion({
        env,
        accountId: userId,
        now: Date.now,
        closeSessions: (ids) => this.deps.closeSessions(ids),
        announceProfile: (user) => this.deps.announceProfile(user),
      });
      if (again !== null) jobs.schedule('account_deletion', again);
    },
  } satisfies Record<AccountJob, () => Promise<void>>;
}
