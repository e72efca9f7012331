import type { Memento } from 'vscode';
import { normalizeRemoteFolder, remoteFolderProblem } from '../../core/transfer/remotePaths';
import type { ExistingFilePolicy } from '../../core/transfer/types';
import type { OpenDialogOptions, PickItem, Prompts } from '../../ui/prompts';

/** Asks what to do with files that already exist; "skip unchanged" first (the default). */
export function pickPolicy(prompts: Prompts, title: string, where: 'datastore' | 'local folder'): Promise<ExistingFilePolicy> {
  const items: Array<PickItem<ExistingFilePolicy>> = [
    { label: 'Skip unchanged', description: 'default', detail: `Replace files in the ${where} only when their size or content (MD5) differs`, value: 'skipUnchanged' },
    { label: 'Skip existing', detail: `Never replace a file that is already in the ${where}`, value: 'skip' },
    { label: 'Overwrite', detail: `Replace every file that is already in the ${where}`, value: 'overwrite' },
  ];
  return prompts.pick(items, { title, placeHolder: 'Files that already exist' });
}

/** Asks for a folder inside a datastore, `proposed` filled in; answers it normalized (`a/b`). */
export async function inputRemoteFolder(prompts: Prompts, title: string, prompt: string, proposed: string): Promise<string> {
  const typed = await prompts.input({
    title,
    prompt,
    value: proposed,
    placeHolder: 'folder/inside/the/datastore (empty for its root)',
    validateInput: (value) => remoteFolderProblem(value),
  });
  return normalizeRemoteFolder(typed);
}

export async function pickLocalFolder(prompts: Prompts, options: OpenDialogOptions): Promise<string> {
  if (!prompts.pickFolder) throw new Error('No folder picker is available here.');
  return prompts.pickFolder(options);
}

export async function pickLocalFiles(prompts: Prompts, options: OpenDialogOptions): Promise<string[]> {
  if (!prompts.pickFiles) throw new Error('No file picker is available here.');
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
