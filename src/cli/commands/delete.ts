import { planModelDeletion, planRunArchive, planRunDeletion, planWorkspaceDeletion, type DeletionPlan } from '../../core/deletion/deletionPlans';
import type { CliCommand } from '../command';
import { confirmPlan } from '../confirm';
import { checkedModelName, checkedServiceName } from '../nameChecks';
import { orNotFound } from '../notFound';
import { UsageError } from '../usage';

const kinds = ['model', 'run', 'workspace'] as const;

export const deleteCommand: CliCommand = {
  name: 'delete',
  summary: 'Delete a model (or one version), runs, or the workspace, after saying what goes and what stays',
  usage: 'azml delete model --name <model> [--version <v>] [--delete-files] [--yes] <target>\n'
    + '       azml delete run <run>... [--yes] <target>\n'
    + '       azml delete workspace [--yes] <target>\n\n'
    + 'Lists what is removed and what is kept, then asks on the terminal ("yes"; for a workspace, its name).\n'
    + 'Without a terminal, --yes is required. A model\'s files stay in storage unless --delete-files.',
  options: { name: { type: 'string' }, version: { type: 'string' }, 'delete-files': { type: 'boolean' }, yes: { type: 'boolean', short: 'y' } },
  needsWorkspace: true,
  async run(values, target, positionals) {
    const [kind, ...rest] = positionals;
    if (!kinds.includes(kind as (typeof kinds)[number])) throw new UsageError(`Say what to delete: azml delete ${kinds.join('|')} …`);
    const client = target.workspaceClient!;
    const yes = values['yes'] === true;
    let plan: DeletionPlan;
    let typeName: string | undefined;
    if (kind === 'model') {
      const name = values['name'];
      if (typeof name !== 'string') throw new UsageError('Name the model: --name <model> (and --version <v> for one version).');
      checkedModelName(name);
      const version = typeof values['version'] === 'string' ? values['version'] : undefined;
      plan = await orNotFound(planModelDeletion({
        client, name, ...(version !== undefined ? { version } : {}), deleteFiles: values['delete-files'] === true, userCredential: target.credential,
      }), version !== undefined ? `Model "${name}" has no version "${version}": azml models --name ${name} lists them.` : `Model "${name}" does not exist in this workspace: azml models lists them.`);
    } else if (kind === 'run') {
      if (rest.length === 0) throw new UsageError('Name the runs to delete: azml delete run <run>... (azml jobs lists them).');
      for (const name of rest) checkedServiceName(name, 'job', 'run');
      plan = await orNotFound(planRunDeletion(client, rest), 'A named run does not exist in this workspace: azml jobs lists them.');
    } else {
      plan = planWorkspaceDeletion(client, target.cloud.name === 'local');
      await client.getWorkspace();
      typeName = client.workspace.workspaceName;
    }
    if (!await confirmPlan(plan, yes, typeName)) return 1;
    await plan.run({ onWaiting: (ms) => process.stderr.write(`Still deleting… (${Math.round(ms / 1000)} s)\n`) });
    process.stdout.write(`Deleted: ${plan.removed.join('; ')}\n`);
    return 0;
  },
};

function archiveCommand(archive: boolean): CliCommand {
  const word = archive ? 'archive' : 'restore';
  return {
    name: word,
    summary: archive ? 'Archive runs (hidden from lists, not deleted)' : 'Restore archived runs',
    usage: `azml ${word} <run>... [--yes] <target>`,
    options: { yes: { type: 'boolean', short: 'y' } },
    needsWorkspace: true,
    async run(values, target, positionals) {
      if (positionals.length === 0) throw new UsageError(`Name the runs: azml ${word} <run>... (azml jobs lists them).`);
      for (const name of positionals) checkedServiceName(name, 'job', 'run');
      const client = target.workspaceClient!;
      const plan = await orNotFound(planRunArchive(client, positionals, archive), 'A named run does not exist in this workspace: azml jobs lists them.');
      // Archiving hides and restoring shows: nothing is lost, so a list of one goes ahead without asking.
      if (positionals.length > 1 && !await confirmPlan(plan, values['yes'] === true)) return 1;
      await plan.run();
      process.stdout.write(`${archive ? 'Archived' : 'Restored'}: ${positionals.join(', ')}\n`);
      return 0;
    },
  };
}

export const archiveRunsCommand = archiveCommand(true);
export const restoreRunsCommand = archiveCommand(false);
