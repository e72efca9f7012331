import * as l10n from '@vscode/l10n';
import { JobSpecError } from './jobSpecError';

/** How a job file or a pick names an environment. */
export type EnvironmentReference =
  /** Sent as it is: registry ids, ARM ids, curated `AzureML-…` short forms. */
  | { kind: 'id'; environmentId: string }
  /** A workspace environment: by version, or its latest version (resolved before submitting). */
  | { kind: 'workspace'; name: string; version: string }
  | { kind: 'workspaceLatest'; name: string };

const armIdPattern = /^\/subscriptions\/[^/]+\/resourceGroups\/[^/]+\/providers\/Microsoft\.MachineLearningServices\//i;

/**
 * Parses `environment:` as the Azure ML CLI v2 writes it: `azureml:name:version`,
 * `azureml:name@latest`, `azureml://registries/...`, an ARM id (with or without `azureml:`).
 * Curated short forms (`azureml:AzureML-…`) pass through: the service expands them.
 */
export function parseEnvironmentReference(value: unknown): EnvironmentReference {
  if (value !== null && typeof value === 'object') {
    throw new JobSpecError(
      l10n.t('Inline environments (an image or conda file in the job file) are not supported here: register the environment in the workspace and refer to it as "azureml:<name>:<version>" or "azureml:<name>@latest", or use a curated one ("azureml://registries/azureml/environments/<name>/labels/latest").'));
  }
  if (typeof value !== 'string' || value.trim() === '') throw new JobSpecError(l10n.t('The job has no environment: set "environment".'));
  const text = value.trim();
  if (/^azureml:\/\//i.test(text)) return { kind: 'id', environmentId: text };
  const withoutPrefix = text.replace(/^azureml:/i, '');
  if (armIdPattern.test(withoutPrefix)) return { kind: 'id', environmentId: withoutPrefix };
  if (!/^azureml:/i.test(text)) {
    throw new JobSpecError(l10n.t('Environment "{0}" is not a reference: write "azureml:{1}@latest" or "azureml:{2}:<version>".', text, text, text));
  }
  if (/^AzureML-/i.test(withoutPrefix)) return { kind: 'id', environmentId: text };
  const latest = /^([A-Za-z0-9][A-Za-z0-9._-]*)@latest$/.exec(withoutPrefix);
  if (latest) return { kind: 'workspaceLatest', name: latest[1]! };
  const versioned = /^([A-Za-z0-9][A-Za-z0-9._-]*):([A-Za-z0-9][A-Za-z0-9._-]*)$/.exec(withoutPrefix);
  if (versioned) return { kind: 'workspace', name: versioned[1]!, version: versioned[2]! };
  if (/@/.test(withoutPrefix)) {
    throw new JobSpecError(l10n.t('Environment "{0}": only the label "@latest" is supported.', text));
  }
  throw new JobSpecError(l10n.t('Environment "{0}" needs a version or a label: "azureml:{1}:<version>" or "azureml:{2}@latest".', text, withoutPrefix, withoutPrefix));
}

/** The ARM id of a workspace child (`<workspaceId>/<collection>/<name>[/versions/<version>]`). */
export function workspaceChildId(workspaceId: string, collection: string, name: string, version?: string): string {
  const base = `${workspaceId}/${collection}/${encodeURIComponent(name)}`;
  return version === undefined ? base : `${base}/versions/${encodeURIComponent(version)}`;
}

/** `compute:` as the CLI v2 writes it (`azureml:cpu-cluster`, a bare name, or an ARM id) → the compute's ARM id. */
export function computeIdOf(value: unknown, workspaceId: string): string {
  if (typeof value !== 'string' || value.trim() === '') throw new JobSpecError(l10n.t('"compute" must be a compute name such as "azureml:cpu-cluster".'));
  const text = value.trim().replace(/^azureml:/i, '');
  if (armIdPattern.test(text)) return text;
  if (!/^[A-Za-z0-9][A-Za-z0-9_-]*$/.test(text)) {
    throw new JobSpecError(l10n.t('"{0}" is not a compute name: write it as "azureml:cpu-cluster" (letters, digits, \'-\' and \'_\').', value));
  }
  return workspaceChildId(workspaceId, 'computes', text);
}

/** `code:` that names a registered code version (`azureml:name:version` or an ARM id), else undefined (a local path). */
export function codeIdOf(value: string, workspaceId: string): string | undefined {
  if (!/^azureml:/i.test(value)) return undefined;
  const text = value.replace(/^azureml:/i, '');
  if (armIdPattern.test(text)) return text;
  const versioned = /^([A-Za-z0-9][A-Za-z0-9._-]*):([A-Za-z0-9][A-Za-z0-9._-]*)$/.exec(text);
  if (!versioned) throw new JobSpecError(l10n.t('"code: {0}" must be a local folder or "azureml:<name>:<version>".', value));
  return workspaceChildId(workspaceId, 'codes', versioned[1]!, versioned[2]!);
}

/** Resolves an environment reference to the `environmentId` a job carries. */
export async function environmentIdOf(
  reference: EnvironmentReference,
  workspaceId: string,
  latestVersion: (name: string) => Promise<string>,
): Promise<string> {
  switch (reference.kind) {
    case 'id': return reference.environmentId;
    case 'workspace': return workspaceChildId(workspaceId, 'environments', reference.name, reference.version);
    case 'workspaceLatest': return workspaceChildId(workspaceId, 'environments', reference.name, await latestVersion(reference.name));
  }
}
