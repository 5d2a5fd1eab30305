import type { User } from '../../protocol/common.js';
import type { Dialog } from '../../protocol/messages.js';
import { runAccountDeletion } from '../../services/account-lifecycle/deletion.js';
import { runDataExport } from '../../services/account-lifecycle/export-job.js';
import type { AlarmJobs } from '../alarm-jobs.js';
import type { Env } from '../env.js';
import type { MailboxJob } from './bot-side.js';

/** The account's own timed jobs on the mailbox's alarm. */
export type AccountJob = 'account_deletion' | 'data_export';

export type AccountJobsDeps = {
  env: Env;
  userId: number;
  jobs: AlarmJobs<MailboxJob>;
  closeSessions(sessionIds: string[]): void;
  announceProfile(user: User): Promise<void>;
  /** One page of the account's dialogs, newest first, after an offset (the mailbox's own list). */
  getDialogs(options: { offsetDate?: number; offsetChatId?: number; limit?: number }): Promise<Dialog[]>;
};

/**
 * The account's lifecycle jobs, run by the mailbox's alarm: its deletion
 * (services/account-lifecycle/deletion.ts) and its data export
 * (export-job.ts). Their state and progress live in D1, so this holds
 * nothing but the alarm rows. A run that finds its job not due yet, or with
 * pages left, comes back when it answers; one that throws is retried by
 * AlarmJobs and resumes at its recorded step.
 */
export class AccountJobs {
  constructor(private readonly deps: AccountJobsDeps) {}

  schedule(job: AccountJob, at: number): void {
    this.deps.jobs.schedule(job, at);
  }

  private async allDialogs(): Promise<Dialog[]> {
    const all: Dialog[] = [];
    for (;;) {
      const last = all.at(-1);
      const page = await this.deps.getDialogs({ limit: 100, ...(last ? { offsetDate: last.last_activity, offsetChatId: last.chat.id } : {}) });
      all.push(...page);
      if (page.length < 100) return all;
    }
  }

  readonly jobs = {
    account_deletion: async () => {
      const { env, userId } = this.deps;
      const again = await runAccountDeletion({
        env,
        accountId: userId,
        now: Date.now,
        closeSessions: (ids) => this.deps.closeSessions(ids),
        announceProfile: (user) => this.deps.announceProfile(user),
      });
      if (again !== null) this.schedule('account_deletion', again);
    },
    data_export: async () => {
      const { env, userId } = this.deps;
      const again = await runDataExport({ env, accountId: userId, now: Date.now, dialogs: () => this.allDialogs() });
      if (again !== null) this.schedule('data_export', again);
    },
  } satisfies Record<AccountJob, () => Promise<void>>;
}
