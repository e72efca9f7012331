import * as l10n from '@vscode/l10n';
import type { Job } from '../../azure/domain';
import type { Prompts } from '../../ui/prompts';

/** What run commands are given: a run node of the Experiments view, a job name, or nothing (then asked). */
export type RunArgument = { job: Job } | string | undefined;

export async function runOf(arg: unknown, prompts: Prompts, title: string): Promise<{ jobName: string; job?: Job }> {
  if (typeof arg === 'string' && arg) return { jobName: arg };
  const job = (arg as { job?: Job } | undefined)?.job;
  if (job?.name) return { jobName: job.name, job };
  const jobName = await prompts.input({
    title,
    prompt: l10n.t('Job (run) name'),
    validateInput: (v) => (v.trim() ? undefined : l10n.t('Enter the name of a job.')),
  });
  return { jobName: jobName.trim() };
}
