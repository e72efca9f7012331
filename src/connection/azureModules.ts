/**
 * Everything from the Azure SDK layer the extension uses, behind one module that is loaded on
 * first use (see loadAzureModules), so activation does not pay for the SDKs.
 */
export { azureClouds, cloudByName, localCloud, type Cloud } from '../azure/cloud';
export { customCloud } from '../azure/customCloud';
export { readAccessTokenClaims } from '../azure/accessTokenClaims';
export { accessTokenVariable, createEnvironmentTokenCredential } from '../azure/environmentAccessToken';
export { openDatastoreStorage, type DatastoreStorage } from '../azure/datastoreStorage';
export { datastoreSasUrl, type SasScope } from '../azure/datastoreSas';
export { checkDatastoreAccess, fixedStorageAccountName } from '../azure/datastoreAccessCheck';
export { artifactDatastoreName, jobArtifactFolder, listJobArtifactPaths, storagePathKind } from '../azure/artifactPaths';
export { isTerminalJobStatus } from '../azure/jobs';
export { jobWithRunTimes } from '../azure/mappers';
export { connectLocalWorkspace } from '../azure/localWorkspace';
export { ResourceManagerClient } from '../azure/resourceManagerClient';
export { listFolder, type StorageEntry } from '../azure/storageListing';
export { listSubscriptionsAcrossTenants } from '../azure/subscriptionsAcrossTenants';
export { withAdditionalStorageSuffixes } from '../azure/trustedHosts';
export { WorkspaceClient } from '../azure/workspaceClient';
export { commandJobFromYaml } from '../core/jobSpec/commandJobYaml';
export { downloadRunOutputs } from '../core/runOutputs';
export { artifactsNotWritten, exportWorkspaceData } from '../core/export/exportWorkspace';
export { describePlan, planModelDeletion, planRunArchive, planRunDeletion, planWorkspaceDeletion } from '../core/deletion/deletionPlans';
export { downloadFromDatastore } from '../core/transfer/downloadFolder';
export { downloadModelVersion, modelDownloadFolder } from '../core/models/downloadModel';
export { backupModelVersion, openBackupDestination } from '../core/models/backupModel';
export { uploadToDatastore } from '../core/transfer/uploadFolder';
export { removeTemporariesLeft } from '../core/transfer/shareStore';
export { RunLogTailer } from '../core/runLogTailer';
export { snapshotTransfer } from '../core/snapshot/snapshotTransfer';
export { jobSpecContextOf, submitJob } from '../core/submitJob';
export { networkSettingsFromEnvironment } from '../azure/networkSettings';
export { refuseNetworkRequests, useNetworkSettings } from '../azure/transport';
export { config as configureL10n } from '@vscode/l10n';
export { useNumberLocale } from '../core/format';
export { openEventQueues, parseEventQueueSetting } from '../azure/eventQueue';
export { poisonQueueName, receiveEvents } from '../core/events/eventQueueReceiver';
