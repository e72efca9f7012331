import type { CliCommand } from '../command';
import { checkedServiceName } from '../nameChecks';
import { orNotFound } from '../notFound';
import { UsageError } from '../usage';

export const cancelCommand: CliCommand = {
  name: 'cancel',
  summary: 'Cancel a running job',
  usage: 'azml cancel <job> <target>',
  options: {},
  needsWorkspace: true,
  async run(_values, target, positionals) {
    const [jobName, ...extra] = positionals;
    if (!jobName || extra.length > 0) throw new UsageError('Name one job: azml cancel <job>.');
    checkedServiceName(jobName, 'job', 'Job');
    const result = await orNotFound(target.workspaceClient!.jobs.cancel(jobName),
      `Job "${jobName}" does not exist in this workspace: azml jobs lists them.`);
    process.stdout.write(result.completed ? `Canceled ${jobName}.\n` : `Cancel requested for ${jobName}; it stops shortly.\n`);
  },
};
