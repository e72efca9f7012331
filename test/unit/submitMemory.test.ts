import * as assert from 'node:assert/strict';
import type * as vscode from 'vscode';
import { SubmitMemory } from '../../src/commands/runs/submitMemory';

/** VS Code's Memento is a key-value store; this one keeps its values as JSON text, as VS Code's state file does. */
class StoredMemento implements vscode.Memento {
  readonly stored = new Map<string, string>();
  keys(): readonly string[] {
    return [...this.stored.keys()];
  }
  get<T>(key: string, fallback?: T): T | undefined {
    const text = this.stored.get(key);
    return text === undefined ? fallback : JSON.parse(text) as T;
  }
  async update(key: string, value: unknown): Promise<void> {
    this.stored.set(key, JSON.stringify(value));
  }
}

describe('what Submit remembers per folder', () => {
  it('keeps the commands and input values picked, but none that carries a secret (a SAS URL, an account key)', async () => {
    const workspaceState = new StoredMemento();
    const memory = new SubmitMemory(workspaceState, new StoredMemento());
    await memory.rememberPicks('/project', {
      experimentName: 'fraud',
      commands: { 'train.py': 'python train.py --epochs 3', 'load.py': 'python load.py --conn "DefaultEndpointsProtocol=https;AccountName=a;AccountKey=c2VjcmV0;"' },
      inputValues: { data: 'azureml://datastores/workspaceblobstore/paths/data/', raw: 'https://acct.blob.core.windows.net/c/raw.csv?sv=2024-01-01&sig=c2lnbmF0dXJl' },
    });
    const picks = memory.picksFor('/project');
    assert.equal(picks.experimentName, 'fraud');
    assert.deepEqual(picks.commands, { 'train.py': 'python train.py --epochs 3' });
    assert.deepEqual(picks.inputValues, { data: 'azureml://datastores/workspaceblobstore/paths/data/' });
    const text = [...workspaceState.stored.values()].join('\n');
    assert.ok(!text.includes('c2VjcmV0') && !text.includes('c2lnbmF0dXJl'), text);
  });
});
