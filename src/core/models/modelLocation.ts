import * as l10n from '@vscode/l10n';
import { artifactDatastoreName, jobArtifactFolder } from '../../azure/artifactPaths';
import type { ModelVersion } from '../../azure/domain';
import { AzureMlError } from '../../azure/errors';

/** Where a model version's files are: a datastore and a path in it (a folder ends with "/"). */
export interface ModelFilesLocation {
  datastoreName: string;
  path: string;
  isFolder: boolean;
}

const datastorePath = /^azureml:\/\/(?:subscriptions\/[^/]+\/resourcegroups\/[^/]+\/(?:providers\/Microsoft\.MachineLearningServices\/)?workspaces\/[^/]+\/)?datastores\/([^/]+)\/paths\/(.+)$/i;
const jobArtifactPath = /^azureml:\/\/jobs\/([^/]+)\/outputs\/artifacts\/paths\/(.+)$/i;
const runsPath = /^runs:\/([^/]+)\/(.+)$/i;

/** Reads a version's `modelUri` (the forms Azure ML registers) as a place in a datastore. */
export function modelFilesLocation(version: ModelVersion): ModelFilesLocation {
  const uri = version.modelUri ?? '';
  const inDatastore = datastorePath.exec(uri);
  const fromJob = jobArtifactPath.exec(uri) ?? runsPath.exec(uri);
  const found = inDatastore
    ? { datastoreName: decodeURIComponent(inDatastore[1]!), path: inDatastore[2]! }
    : fromJob ? { datastoreName: artifactDatastoreName, path: `${jobArtifactFolder(fromJob[1]!)}${fromJob[2]!}` } : undefined;
  if (!found) {
    throw new AzureMlError(l10n.t('Model {0} version {1} is stored at "{2}", which is not a datastore or job path: its files can\'t be copied from here.',
      version.name, version.version, uri || '—'), undefined, 'UnsupportedModelUri');
  }
  const path = decodeURIComponent(found.path).replace(/^\/+/, '');
  return { datastoreName: found.datastoreName, path, isFolder: path.endsWith('/') };
}

/** The fields that tell one model version from another: the same name and version registered anew, or in another workspace, differ in them. */
const identityKeys = ['name', 'version', 'modelUri', 'createdAt'] as const;

/** Whether metadata this code wrote (modelMetadata) is that of `version`. */
export function isMetadataOf(held: Record<string, unknown>, version: ModelVersion): boolean {
  const wanted = modelMetadata(version);
  return identityKeys.every((key) => held[key] === wanted[key]);
}

/** What `model.json` beside a model's files says about it. */
export function modelMetadata(version: ModelVersion): Record<string, unknown> {
  return {
    name: version.name,
    version: version.version,
    modelType: version.modelType,
    modelUri: version.modelUri,
    description: version.description,
    jobName: version.jobName,
    tags: version.tags,
    properties: version.properties,
    flavors: version.flavors,
    createdAt: version.createdAt?.toISOString(),
    createdBy: version.createdBy,
  };
}
