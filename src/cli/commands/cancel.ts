import type { CliCommand } from '../command';
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
    const result = await target.workspaceClient!.jobs.cancel(jobName);
    process.stdout.write(result.completed ? `Canceled ${jobName}.\n` : `Cancel requested for ${jobName}; it stops shortly.\n`);
  },
};
