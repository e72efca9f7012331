import * as l10n from '@vscode/l10n';
import type { Memento } from 'vscode';
import { normalizeRemoteFolder, remoteFolderProblem } from '../../core/transfer/remotePaths';
import type { ExistingFilePolicy } from '../../core/transfer/types';
import type { OpenDialogOptions, PickItem, Prompts } from '../../ui/prompts';

/** Asks what to do with files that already exist; "skip unchanged" first (the default). */
export function pickPolicy(prompts: Prompts, title: string, where: 'datastore' | 'local folder'): Promise<ExistingFilePolicy> {
  const items: Array<PickItem<ExistingFilePolicy>> = [
    { label: l10n.t('Skip unchanged'), description: l10n.t('default'), detail: where === 'datastore' ? l10n.t('Replace files in the datastore only when their size or content (MD5) differs') : l10n.t('Replace files in the local folder only when their size or content (MD5) differs'), value: 'skipUnchanged' },
    { label: l10n.t('Skip existing'), detail: where === 'datastore' ? l10n.t('Never replace a file that is already in the datastore') : l10n.t('Never replace a file that is already in the local folder'), value: 'skip' },
    { label: l10n.t('Overwrite'), detail: where === 'datastore' ? l10n.t('Replace every file that is already in the datastore') : l10n.t('Replace every file that is already in the local folder'), value: 'overwrite' },
  ];
  return prompts.pick(items, { title, placeHolder: l10n.t('Files that already exist') });
}

/** Asks for a folder inside a datastore, `proposed` filled in; answers it normalized (`a/b`). */
export async function inputRemoteFolder(prompts: Prompts, title: string, prompt: string, proposed: string): Promise<string> {
  const typed = await prompts.input({
    title,
    prompt,
    value: proposed,
    placeHolder: l10n.t('folder/inside/the/datastore (empty for its root)'),
    validateInput: (value) => remoteFolderProblem(value),
  });
  return normalizeRemoteFolder(typed);
}

export async function pickLocalFolder(prompts: Prompts, options: OpenDialogOptions): Promise<string> {
  if (!prompts.pickFolder) throw new Error(l10n.t('No folder picker is available here.'));
  return prompts.pickFolder(options);
}

export async function pickLocalFiles(prompts: Prompts, options: OpenDialogOptions): Promise<string[]> {
  if (!prompts.pickFiles) throw new Error(l10n.t('No file picker is available here.'));
  return prompts.pickFiles(options);
}

const rememberedKey = 'azureml.uploadTargets';

interface RememberedTarget {
  datastore: string;
  targetPath: string;
}

/** The datastore folder each local folder was last uploaded to, per VS Code workspace. */
export class RememberedTargets {
  constructor(private readonly state: Memento) {}

  get(localRoot: string, datastore: string): string | undefined {
    const remembered = this.state.get<Record<string, RememberedTarget>>(rememberedKey)?.[localRoot];
    return remembered?.datastore === datastore ? remembered.targetPath : undefined;
  }

  async set(localRoot: string, datastore: string, targetPath: string): Promise<void> {
    const all = { ...this.state.get<Record<string, RememberedTarget>>(rememberedKey) };
    all[localRoot] = { datastore, targetPath };
    await this.state.update(rememberedKey, all);
  }
}
