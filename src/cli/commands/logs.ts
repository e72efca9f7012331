import type { CliCommand } from '../command';
import { printRunLog } from '../followRun';
import { checkedServiceName } from '../nameChecks';
import { orNotFound } from '../notFound';
import { UsageError } from '../usage';

export const logsCommand: CliCommand = {
  name: 'logs',
  summary: "Print a job's log (std_log); --follow streams it until the job ends",
  usage: 'azml logs <job> [--follow] <target>',
  options: { follow: { type: 'boolean', short: 'f' } },
  needsWorkspace: true,
  async run(values, target, positionals) {
    const [jobName, ...extra] = positionals;
    if (!jobName || extra.length > 0) throw new UsageError('Name one job: azml logs <job> [--follow].');
    checkedServiceName(jobName, 'job', 'Job');
    return orNotFound(printRunLog(target.workspaceClient!, jobName, values['follow'] === true),
      `Job "${jobName}" does not exist in this workspace: azml jobs lists them.`);
  },
};
