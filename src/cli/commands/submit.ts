import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { WorkspaceClient } from '../../azure/workspaceClient';
import { commandJobFromYaml } from '../../core/jobSpec/commandJobYaml';
import { defaultEnvironmentId, localMachineEnvironmentId } from '../../core/jobSpec/curatedEnvironments';
import type { JobDraft } from '../../core/jobSpec/jobDraft';
import { toServiceName } from '../../core/jobSpec/names';
import { computeIdOf, environmentIdOf, parseEnvironmentReference } from '../../core/jobSpec/references';
import { defaultScriptCommand, scriptJobDraft } from '../../core/jobSpec/scriptJob';
import { jobCommandShell } from '../../core/shellWords';
import { snapshotTransfer } from '../../core/snapshot/snapshotTransfer';
import { findSnapshotRoot } from '../../core/snapshot/snapshotRoot';
import { jobSpecContextOf, submitJob } from '../../core/submitJob';
import { localFileProblem } from '../../core/localFileErrors';
import type { CliCommand } from '../command';
import { printRunLog } from '../followRun';
import { printMasked } from '../output';
import { checkedServiceName } from '../nameChecks';
import { UsageError } from '../usage';

function isJobFile(file: string): boolean {
  return /\.ya?ml$/i.test(file);
}

function inputValuesOf(raw: unknown): Record<string, string> {
  const values: Record<string, string> = {};
  for (const item of Array.isArray(raw) ? (raw as string[]) : []) {
    const eq = item.indexOf('=');
    if (eq < 1) throw new UsageError(`--input takes name=value, not "${item}".`);
    values[item.slice(0, eq)] = item.slice(eq + 1);
  }
  return values;
}

async function draftOf(file: string, values: Record<string, unknown>, client: WorkspaceClient): Promise<JobDraft> {
  const context = jobSpecContextOf(client);
  const experiment = values['experiment'] as string | undefined;
  if (experiment !== undefined) checkedServiceName(experiment, 'experiment', '--experiment');
  const compute = values['compute'] as string | undefined;
  const environment = values['environment'] as string | undefined;
  const displayName = values['display-name'] as string | undefined;
  const environmentId = environment ? await environmentIdOf(parseEnvironmentReference(environment), context.workspaceId, context.latestEnvironmentVersion) : undefined;
  const computeId = compute ? computeIdOf(compute, context.workspaceId) : undefined;

  if (isJobFile(file)) {
    const draft = await commandJobFromYaml(await fs.readFile(file, 'utf8'), file, context);
    if (experiment) draft.job.experimentName = experiment;
    if (computeId) draft.job.computeId = computeId;
    if (environmentId) draft.job.environmentId = environmentId;
    if (displayName) draft.job.displayName = displayName;
    return draft;
  }
  const root = findSnapshotRoot(file, [process.cwd()]);
  return scriptJobDraft(root, {
    experimentName: experiment ?? toServiceName(path.basename(root), 'Default'),
    environmentId: environmentId ?? (client.cloud.name === 'local' ? localMachineEnvironmentId : defaultEnvironmentId),
    command: (values['command'] as string | undefined) ?? defaultScriptCommand(file, root, jobCommandShell(client.cloud.name === 'local')),
    inputValues: inputValuesOf(values['input']),
    ...(computeId ? { computeId } : {}),
    ...(displayName ? { displayName } : {}),
  });
}

export const submitCommand: CliCommand = {
  name: 'submit',
  summary: 'Submit a Python script or a command job YAML as a run; --follow streams its log',
  usage: 'azml submit <script.py|job.yml> [--experiment X] [--compute C] [--environment E] [--display-name N] '
    + '[--command "python x.py --lr ${{inputs.lr}}"] [--input name=value ...] [--follow] <target>',
  options: {
    experiment: { type: 'string' },
    compute: { type: 'string' },
    environment: { type: 'string' },
    'display-name': { type: 'string' },
    command: { type: 'string' },
    input: { type: 'string', multiple: true },
    follow: { type: 'boolean', short: 'f' },
  },
  needsWorkspace: true,
  async run(values, target, positionals) {
    const [file, ...extra] = positionals;
    if (!file || extra.length > 0) throw new UsageError('Name one file: azml submit <script.py|job.yml>.');
    const absolute = path.resolve(file);
    const stats = await fs.stat(absolute).catch((error: unknown) => {
      throw new UsageError(localFileProblem(error) ?? `${file} is not a file.`);
    });
    if (stats.isDirectory()) throw new UsageError(`${file} is a folder: choose a file.`);
    if (!stats.isFile()) throw new UsageError(`${file} is not a file.`);
    if (stats.size === 0 && !isJobFile(absolute)) throw new UsageError(`${file} is empty: there is nothing to run.`);
    const client = target.workspaceClient!;
    const draft = await draftOf(absolute, values, client);
    for (const warning of draft.warnings) process.stderr.write(`Warning: ${warning}\n`);

    const { job, snapshot } = await submitJob({
      client, draft, transfer: snapshotTransfer, nameStem: path.basename(absolute).replace(/\.[^.]+$/, ''),
    });
    if (snapshot) {
      process.stderr.write(snapshot.reused
        ? `Snapshot unchanged (${snapshot.fileCount} files): reusing code ${snapshot.name}:${snapshot.version}.\n`
        : `Uploaded snapshot: ${snapshot.fileCount} files, code ${snapshot.name}:${snapshot.version}.\n`);
    }
    printMasked(values['json'] ? JSON.stringify(job, null, 2) : job.name);
    if (job.studioUrl) process.stderr.write(`Azure ML studio: ${job.studioUrl}\n`);
    if (!values['follow']) return 0;
    return printRunLog(client, job.name, true);
  },
};
