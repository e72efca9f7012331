import type { ListViewType } from '../../azure/domain';
import type { CliCommand } from '../command';
import { formatDate, printItems } from '../output';
import { collectPages } from '../../core/pages';
import { checkedServiceName } from '../nameChecks';
import { UsageError } from '../usage';

const viewTypes: readonly ListViewType[] = ['ActiveOnly', 'ArchivedOnly', 'All'];

export const jobsCommand: CliCommand = {
  name: 'jobs',
  summary: 'List jobs (runs), newest first',
  usage: 'azml jobs [--experiment X] [--top N] [--view ActiveOnly|ArchivedOnly|All] [--json] <target>',
  options: { experiment: { type: 'string' }, top: { type: 'string' }, view: { type: 'string' } },
  needsWorkspace: true,
  async run(values, target) {
    const client = target.workspaceClient!;
    const top = values['top'] === undefined ? 100 : Number(values['top']);
    if (!Number.isInteger(top) || top < 1) throw new UsageError('--top takes a positive whole number.');
    const view = (values['view'] as string | undefined) ?? 'ActiveOnly';
    if (!viewTypes.includes(view as ListViewType)) throw new UsageError(`--view takes one of ${viewTypes.join(', ')}.`);
    const experimentName = values['experiment'] as string | undefined;
    if (experimentName !== undefined) checkedServiceName(experimentName, 'experiment', '--experiment');
    const jobs = await collectPages((continuationToken) => client.jobs.list({
      listViewType: view as ListViewType,
      ...(experimentName ? { experimentName } : {}),
      ...(continuationToken ? { continuationToken } : {}),
    }), top);
    printItems(jobs, [
      { header: 'NAME', value: (j) => j.name },
      { header: 'DISPLAY NAME', value: (j) => j.displayName },
      { header: 'EXPERIMENT', value: (j) => j.experimentName },
      { header: 'STATUS', value: (j) => j.status },
      { header: 'CREATED', value: (j) => formatDate(j.createdAt) },
    ], values['json'] as boolean | undefined);
  },
};
