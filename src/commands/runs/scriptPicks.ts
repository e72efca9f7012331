import * as l10n from '@vscode/l10n';
import * as path from 'node:path';
import type { Compute } from '../../azure/domain';
import type { WorkspaceClient } from '../../azure/workspaceClient';
import type { ConnectionKind } from '../../connection/connection';
import { collectPages } from '../../core/pages';
import { curatedEnvironments, localMachineEnvironmentId } from '../../core/jobSpec/curatedEnvironments';
import { jobNamePattern, toServiceName } from '../../core/jobSpec/names';
import { environmentIdOf, parseEnvironmentReference } from '../../core/jobSpec/references';
import { JobSpecError } from '../../core/jobSpec/jobSpecError';
import { commandReferences, defaultScriptCommand, type ScriptPicks } from '../../core/jobSpec/scriptJob';
import { jobCommandShell } from '../../core/shellWords';
import type { Log } from '../../ui/log';
import type { PickItem, Prompts } from '../../ui/prompts';
import type { FolderPicks, SubmitMemory } from './submitMemory';

export interface ScriptPickContext {
  prompts: Prompts;
  client: WorkspaceClient;
  connectionKind: ConnectionKind;
  memory: SubmitMemory;
  log: Log;
  scriptPath: string;
  snapshotRoot: string;
}

/** A short name for an environment id: `sklearn-1.5`, `my-env:3`. */
export function environmentLabel(environmentId: string): string {
  const registry = /\/environments\/([^/]+)\/labels\/([^/]+)$/.exec(environmentId);
  if (registry) return registry[2] === 'latest' ? registry[1]! : `${registry[1]}@${registry[2]}`;
  const versioned = /\/environments\/([^/]+)\/versions\/([^/]+)$/.exec(environmentId);
  if (versioned) return `${decodeURIComponent(versioned[1]!)}:${decodeURIComponent(versioned[2]!)}`;
  return environmentId.replace(/^azureml:/, '');
}

type EnvironmentChoice = { environmentId: string } | { reference: string } | { enter: true };

async function pickCompute(ctx: ScriptPickContext, title: string, remembered: string | undefined): Promise<Compute> {
  const computes = await collectPages<Compute>((continuationToken) => ctx.client.computes.list(continuationToken ? { continuationToken } : {}), 200);
  if (computes.length === 0) {
    throw new Error(ctx.connectionKind === 'local'
      ? l10n.t('The local workspace has no compute.')
      : l10n.t('Workspace {0} has no compute: create a compute cluster or instance in Azure ML studio first.', ctx.client.workspace.workspaceName));
  }
  if (computes.length === 1) return computes[0]!;
  const ordered = [...computes].sort((a, b) => Number(b.name === remembered) - Number(a.name === remembered));
  return ctx.prompts.pick(ordered.map((c): PickItem<Compute> => ({
    label: c.name,
    description: [c.computeType, c.state, c.name === remembered ? 'last used' : undefined].filter(Boolean).join(' · '),
    value: c,
  })), { title, placeHolder: l10n.t('Where the run executes') });
}

async function environmentItems(ctx: ScriptPickContext, remembered: string | undefined): Promise<Array<PickItem<EnvironmentChoice>>> {
  const items: Array<PickItem<EnvironmentChoice>> = [];
  const seen = new Set<string>();
  const add = (environmentId: string, description: string): void => {
    if (seen.has(environmentId)) return;
    seen.add(environmentId);
    items.push({ label: environmentLabel(environmentId), description, detail: environmentId, value: { environmentId } });
  };
  if (ctx.connectionKind === 'local') {
    seen.add(localMachineEnvironmentId);
    items.push({
      label: l10n.t("This machine's Python"),
      description: remembered === localMachineEnvironmentId ? l10n.t('what the local workspace runs with · last used here') : l10n.t('what the local workspace runs with'),
      detail: l10n.t('The local workspace installs no environment; any other choice is recorded but not used.'),
      value: { environmentId: localMachineEnvironmentId },
    });
  }
  if (remembered) add(remembered, l10n.t('last used here'));
  for (const id of ctx.memory.recentEnvironments()) add(id, l10n.t('recently used'));
  for (const env of curatedEnvironments) add(env.environmentId, l10n.t('curated · {0}', env.description));
  try {
    const page = await ctx.client.environments.list();
    for (const env of page.items) {
      items.push({ label: env.name, description: env.latestVersion ? l10n.t('workspace · latest {0}', env.latestVersion) : l10n.t('workspace'), value: { reference: `azureml:${env.name}@latest` } });
    }
  } catch (error) {
    // The local workspace has no environments of its own; Azure may refuse the listing.
    ctx.log.info(l10n.t('Workspace environments not listed: {0}', (error as Error).message));
  }
  items.push({ label: l10n.t('$(edit) Enter an environment…'), description: l10n.t('azureml:<name>:<version>, azureml:<name>@latest or an id'), value: { enter: true } });
  return items;
}

async function pickEnvironment(ctx: ScriptPickContext, title: string, remembered: string | undefined): Promise<string> {
  const choice = await ctx.prompts.pick(environmentItems(ctx, remembered), { title, placeHolder: l10n.t('The environment the run uses') });
  if ('environmentId' in choice) return choice.environmentId;
  const reference = 'reference' in choice
    ? choice.reference
    : await ctx.prompts.input({ title, prompt: l10n.t('azureml:<name>:<version>, azureml:<name>@latest, or an environment id'), value: 'azureml:' });
  return environmentIdOf(parseEnvironmentReference(reference), ctx.client.resourceId, (name) => ctx.client.environments.latestVersion(name));
}

/**
 * `python <script>` quoted for the shell that will run it; or, for a name that shell can't be
 * given, an empty command and the reason, so that the user writes one or renames the file.
 */
function suggestedCommand(ctx: ScriptPickContext): { value: string; problem?: string } {
  try {
    return { value: defaultScriptCommand(ctx.scriptPath, ctx.snapshotRoot, jobCommandShell(ctx.connectionKind === 'local')) };
  } catch (error) {
    if (!(error instanceof JobSpecError)) throw error;
    return { value: '', problem: error.message };
  }
}

/**
 * Asks what a script run needs: experiment, compute, environment, display name, the command
 * (and a value for each `${{inputs.x}}` it uses). Each answer is offered first next time.
 */
export async function pickScriptRun(ctx: ScriptPickContext): Promise<{ picks: ScriptPicks; remember: FolderPicks }> {
  const { prompts, memory, snapshotRoot, scriptPath } = ctx;
  const remembered = memory.picksFor(snapshotRoot);
  const scriptKey = path.relative(snapshotRoot, scriptPath).split(path.sep).join('/');
  const title = (step: string): string => l10n.t('Submit {0}: {1}', path.basename(scriptPath), step);

  const experimentName = await prompts.input({
    title: title(l10n.t('Experiment')),
    prompt: l10n.t('Experiment to group the run under'),
    value: remembered.experimentName ?? toServiceName(path.basename(snapshotRoot), 'Default'),
    validateInput: (v) => (jobNamePattern.test(v) ? undefined : l10n.t("Use letters, digits, '-' and '_', starting with a letter or digit.")),
  });
  const compute = await pickCompute(ctx, title(l10n.t('Compute')), remembered.computeName);
  const environmentId = await pickEnvironment(ctx, title(l10n.t('Environment')), remembered.environmentId);
  const displayName = await prompts.input({
    title: title(l10n.t('Display Name')),
    prompt: l10n.t('Display name of the run (empty for none)'),
    value: remembered.displayName ?? path.basename(scriptPath).replace(/\.[^.]+$/, ''),
  });
  const rememberedCommand = remembered.commands?.[scriptKey];
  const suggested = rememberedCommand === undefined ? suggestedCommand(ctx) : { value: rememberedCommand };
  const command = await prompts.input({
    title: title(l10n.t('Command')),
    prompt: suggested.problem ?? l10n.t('Command to run in the snapshot folder; {0} asks for a value of input x', '${{inputs.x}}'),
    value: suggested.value,
    validateInput: (v) => (v.trim() ? undefined : l10n.t('The command is empty.')),
  });
  const inputValues: Record<string, string> = {};
  for (const name of commandReferences(command).inputs) {
    inputValues[name] = await prompts.input({
      title: title(l10n.t('Input "{0}"', name)),
      prompt: l10n.t('Value of {0}: a literal, or azureml://datastores/<name>/paths/<path> (ending in / for a folder)', `\${{inputs.${name}}}`),
      value: remembered.inputValues?.[name] ?? '',
    });
  }
  const picks: ScriptPicks = { experimentName, environmentId, command, inputValues, computeId: compute.id };
  if (displayName.trim()) picks.displayName = displayName.trim();
  return {
    picks,
    remember: {
      experimentName, computeName: compute.name, environmentId, displayName: displayName.trim(),
      commands: { [scriptKey]: command }, inputValues,
    },
  };
}
