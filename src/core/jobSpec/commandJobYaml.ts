import * as l10n from '@vscode/l10n';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { parseDocument } from 'yaml';
import type { JobInputSpec, JobInputType, JobOutputSpec, JobOutputType } from '../../azure/domain';
import type { JobDraft, JobSpecContext } from './jobDraft';
import { JobSpecError } from './jobSpecError';
import { jobNamePattern, toServiceName } from './names';
import { codeIdOf, computeIdOf, environmentIdOf, parseEnvironmentReference } from './references';

/** The CLI v2 command-job keys this maps; any other top-level key is reported and ignored. */
const mappedKeys = new Set([
  '$schema', 'type', 'name', 'display_name', 'experiment_name', 'description', 'tags', 'command', 'code',
  'environment', 'compute', 'inputs', 'outputs', 'environment_variables', 'resources', 'limits',
]);

const dataTypes: readonly JobOutputType[] = ['uri_file', 'uri_folder', 'mltable', 'custom_model', 'mlflow_model', 'triton_model'];
const literalTypes = new Set(['string', 'integer', 'number', 'boolean']);
const modes: Readonly<Record<string, string>> = {
  ro_mount: 'ReadOnlyMount', rw_mount: 'ReadWriteMount', download: 'Download', direct: 'Direct',
  eval_mount: 'EvalMount', eval_download: 'EvalDownload', upload: 'Upload',
};

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function optionalText(doc: Json, key: string): string | undefined {
  const value = doc[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string' && typeof value !== 'number') throw new JobSpecError(l10n.t('"{0}" must be text.', key));
  return String(value);
}

function stringMapOf(value: unknown, key: string): Record<string, string> | undefined {
  if (value === undefined || value === null) return undefined;
  if (!isObject(value)) throw new JobSpecError(l10n.t('"{0}" must be a mapping of names to values.', key));
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, v === null || v === undefined ? '' : String(v)]));
}

function modeOf(value: unknown, where: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  const mode = modes[String(value).toLowerCase()];
  if (!mode) throw new JobSpecError(l10n.t('{0}: mode "{1}" is not one of {2}.', where, String(value), Object.keys(modes).join(', ')));
  return mode;
}

/** Cloud paths a job can read: datastore URIs, asset references and storage URLs. */
function checkCloudPath(value: string, where: string): string {
  if (/^(azureml:|https?:\/\/|wasbs?:\/\/|abfss?:\/\/|adl:\/\/)/i.test(value)) return value;
  throw new JobSpecError(
    l10n.t('{0} points at the local path "{1}". Upload it to a datastore first and use "azureml://datastores/<datastore>/paths/<path>" (or a registered data asset, "azureml:<name>:<version>").',
      where, value));
}

function inputOf(name: string, raw: unknown): JobInputSpec {
  const where = l10n.t('Input "{0}"', name);
  if (typeof raw === 'string' || typeof raw === 'number' || typeof raw === 'boolean') return { type: 'literal', value: String(raw) };
  if (!isObject(raw)) throw new JobSpecError(l10n.t('{0} must be a value or a mapping with "type" and "path".', where));
  const type = typeof raw['type'] === 'string' ? raw['type'] : 'uri_folder';
  const description = typeof raw['description'] === 'string' ? { description: raw['description'] } : {};
  if (literalTypes.has(type)) {
    const value = raw['value'] ?? raw['default'];
    if (value === undefined || value === null) throw new JobSpecError(l10n.t('{0} has type {1} but no value.', where, type));
    return { type: 'literal', value: String(value), ...description };
  }
  if (!dataTypes.includes(type as JobOutputType)) {
    throw new JobSpecError(l10n.t('{0}: type "{1}" is not one of {2}.', where, type, [...literalTypes, ...dataTypes].join(', ')));
  }
  if (typeof raw['path'] !== 'string' || raw['path'] === '') throw new JobSpecError(l10n.t('{0} has no "path".', where));
  const mode = modeOf(raw['mode'], where);
  return {
    type: type as Exclude<JobInputType, 'literal'>,
    uri: checkCloudPath(raw['path'], where),
    ...(mode ? { mode } : {}),
    ...description,
  };
}

function outputOf(name: string, raw: unknown): JobOutputSpec {
  const where = l10n.t('Output "{0}"', name);
  if (raw === null || raw === undefined) return { type: 'uri_folder' };
  if (!isObject(raw)) throw new JobSpecError(l10n.t('{0} must be a mapping with "type" (and optionally "path" and "mode").', where));
  const type = typeof raw['type'] === 'string' ? raw['type'] : 'uri_folder';
  if (!dataTypes.includes(type as JobOutputType)) throw new JobSpecError(l10n.t('{0}: type "{1}" is not one of {2}.', where, type, dataTypes.join(', ')));
  const mode = modeOf(raw['mode'], where);
  const spec: JobOutputSpec = { type: type as JobOutputType };
  if (typeof raw['path'] === 'string' && raw['path'] !== '') spec.uri = checkCloudPath(raw['path'], where);
  if (mode) spec.mode = mode;
  if (typeof raw['description'] === 'string') spec.description = raw['description'];
  return spec;
}

function ioMap<T>(value: unknown, key: string, map: (name: string, raw: unknown) => T): Record<string, T> | undefined {
  if (value === undefined || value === null) return undefined;
  if (!isObject(value)) throw new JobSpecError(l10n.t('"{0}" must be a mapping of names to {1}.', key, key));
  return Object.fromEntries(Object.entries(value).map(([name, raw]) => [name, map(name, raw)]));
}

/** `${{inputs.x}}` / `${{outputs.y}}` in the command must be declared (the service refuses the job otherwise). */
function checkCommandReferences(command: string, inputs: object | undefined, outputs: object | undefined): void {
  for (const m of command.matchAll(/\$\{\{\s*(inputs|outputs)\.([A-Za-z0-9_-]+)\s*\}\}/g)) {
    const declared = m[1] === 'inputs' ? inputs : outputs;
    if (!declared || !(m[2]! in declared)) {
      throw new JobSpecError(m[1] === 'inputs'
        ? l10n.t('The command uses {0}, but the job declares no input "{1}".', `\${{${m[1]}.${m[2]}}}`, m[2]!)
        : l10n.t('The command uses {0}, but the job declares no output "{1}".', `\${{${m[1]}.${m[2]}}}`, m[2]!));
    }
  }
}

function timeoutOf(limits: unknown, warnings: string[]): string | undefined {
  if (limits === undefined || limits === null) return undefined;
  if (!isObject(limits)) throw new JobSpecError(l10n.t('"limits" must be a mapping.'));
  for (const key of Object.keys(limits)) if (key !== 'timeout') warnings.push(l10n.t('Ignored "limits.{0}".', key));
  const timeout = limits['timeout'];
  if (timeout === undefined || timeout === null) return undefined;
  if (typeof timeout === 'number' && Number.isInteger(timeout) && timeout > 0) return `PT${timeout}S`;
  if (typeof timeout === 'string' && /^P/.test(timeout)) return timeout;
  throw new JobSpecError(l10n.t('"limits.timeout" must be a number of seconds.'));
}

function instanceCountOf(resources: unknown, warnings: string[]): number | undefined {
  if (resources === undefined || resources === null) return undefined;
  if (!isObject(resources)) throw new JobSpecError(l10n.t('"resources" must be a mapping.'));
  for (const key of Object.keys(resources)) if (key !== 'instance_count') warnings.push(l10n.t('Ignored "resources.{0}".', key));
  const count = resources['instance_count'];
  if (count === undefined || count === null) return undefined;
  if (typeof count !== 'number' || !Number.isInteger(count) || count < 1) throw new JobSpecError(l10n.t('"resources.instance_count" must be a positive whole number.'));
  return count;
}

async function codeOf(value: unknown, yamlDir: string, workspaceId: string): Promise<Pick<JobDraft, 'codeFolder' | 'codeId'>> {
  if (value === undefined || value === null) return {};
  if (typeof value !== 'string' || value === '') throw new JobSpecError(l10n.t('"code" must be a folder path (relative to the job file).'));
  const codeId = codeIdOf(value, workspaceId);
  if (codeId) return { codeId };
  const folder = path.resolve(yamlDir, value);
  const stat = await fs.stat(folder).catch(() => undefined);
  if (!stat) throw new JobSpecError(l10n.t('"code: {0}" does not exist (looked for {1}).', value, folder));
  if (!stat.isDirectory()) throw new JobSpecError(l10n.t('"code: {0}" must be a folder, not a file.', value));
  return { codeFolder: folder };
}

const jobExample = (): string => l10n.t('e.g. "command: python train.py" and "environment: azureml:<name>@latest"');

function parseYaml(text: string, yamlPath: string): Json {
  const file = path.basename(yamlPath);
  // NUL or bytes that are not UTF-8 (read as U+FFFD): an archive or a binary saved under a .yml name.
  if (/[\u0000\uFFFD]/.test(text)) throw new JobSpecError(l10n.t('{0} is not a text file: a job file is a YAML command job ({1}).', file, jobExample()));
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  const error = doc.errors[0];
  if (error) throw new JobSpecError(l10n.t('{0} is not valid YAML: {1}', file, error.message.split('\n')[0]));
  if (doc.contents === null) throw new JobSpecError(l10n.t('{0} is empty: write a command job, {1}.', file, jobExample()));
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: 100 });
  } catch {
    throw new JobSpecError(l10n.t('{0} is not valid YAML: it expands too many aliases (*name references); write the values out.', file));
  }
  if (!isObject(value)) throw new JobSpecError(l10n.t('{0} must be a mapping of job settings (an Azure ML command job), {1}.', file, jobExample()));
  return value;
}

/**
 * Reads an Azure ML CLI v2 command job file (`$schema: …/commandJob.schema.json`) into a job
 * draft: `code` relative to the file, environments and computes as ARM ids, inputs/outputs in
 * the REST shapes. Unsupported keys are warnings; what the service would refuse is an error.
 */
export async function commandJobFromYaml(text: string, yamlPath: string, context: JobSpecContext): Promise<JobDraft> {
  const doc = parseYaml(text, yamlPath);
  const warnings: string[] = [];
  const schema = typeof doc['$schema'] === 'string' ? doc['$schema'] : undefined;
  if (schema && /(pipeline|sweep|spark|automl)Job/i.test(schema)) {
    throw new JobSpecError(l10n.t('{0} is not a command job ($schema {1}); only command jobs can be submitted from here.', path.basename(yamlPath), schema));
  }
  const type = doc['type'];
  if (type !== undefined && String(type).toLowerCase() !== 'command') {
    throw new JobSpecError(l10n.t('{0} has type "{1}"; only command jobs ("type: command") can be submitted from here.', path.basename(yamlPath), String(type)));
  }
  for (const key of Object.keys(doc)) if (!mappedKeys.has(key)) warnings.push(l10n.t('Ignored "{0}": not supported when submitting from here.', key));

  const command = doc['command'];
  if (typeof command !== 'string' || command.trim() === '') {
    throw new JobSpecError(l10n.t('{0} has no "command": say what to run, e.g. "command: python train.py".', path.basename(yamlPath)));
  }
  const inputs = ioMap(doc['inputs'], 'inputs', inputOf);
  const outputs = ioMap(doc['outputs'], 'outputs', outputOf);
  checkCommandReferences(command, inputs, outputs);

  const yamlDir = path.dirname(path.resolve(yamlPath));
  const environmentId = await environmentIdOf(parseEnvironmentReference(doc['environment']), context.workspaceId, context.latestEnvironmentVersion);
  const name = optionalText(doc, 'name');
  const experimentName = optionalText(doc, 'experiment_name') ?? toServiceName(path.basename(yamlDir), 'Default');
  if (!jobNamePattern.test(experimentName)) {
    throw new JobSpecError(l10n.t('experiment_name "{0}" is not a valid experiment name: use only letters, digits, hyphens (-) and underscores (_), starting with a letter or digit.',
      experimentName));
  }
  const job: JobDraft['job'] = { command: command.trim(), environmentId, experimentName };
  if (name !== undefined) job.name = name;
  const displayName = optionalText(doc, 'display_name');
  if (displayName !== undefined) job.displayName = displayName;
  const description = optionalText(doc, 'description');
  if (description !== undefined) job.description = description;
  const tags = stringMapOf(doc['tags'], 'tags');
  if (tags) job.tags = tags;
  const environmentVariables = stringMapOf(doc['environment_variables'], 'environment_variables');
  if (environmentVariables) job.environmentVariables = environmentVariables;
  if (doc['compute'] !== undefined && doc['compute'] !== null) job.computeId = computeIdOf(doc['compute'], context.workspaceId);
  if (inputs) job.inputs = inputs;
  if (outputs) job.outputs = outputs;
  const instanceCount = instanceCountOf(doc['resources'], warnings);
  if (instanceCount !== undefined) job.instanceCount = instanceCount;
  const timeout = timeoutOf(doc['limits'], warnings);
  if (timeout !== undefined) job.timeout = timeout;

  return { job, ...(await codeOf(doc['code'], yamlDir, context.workspaceId)), warnings };
}
