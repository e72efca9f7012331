import * as assert from 'node:assert/strict';
import type { AzureMlExtensionApi } from '../../src/extension';
import type { FormPanel } from '../../src/forms/formPanel';
import { eventually } from './treeAccess';

interface Message {
  type: string;
}

/**
 * Drives an open registration form through its message protocol, as its webview would: posts
 * messages to the host side and reads what the host posts back.
 */
export class FormDriver<D, W extends Message, H extends Message> {
  constructor(readonly panel: FormPanel<D, W, H>) {}

  /** Sends one message; answers everything the host posted while handling it. */
  async send(message: W | Record<string, unknown> | string): Promise<H[]> {
    const replies: H[] = [];
    const listening = this.panel.onDidPost((reply) => replies.push(reply));
    try {
      await this.panel.receive(message);
    } finally {
      listening.dispose();
    }
    return replies;
  }

  /** The `init` the host answers to `ready` (what a reloaded webview gets). */
  async init(): Promise<Extract<H, { type: 'init' }>> {
    const replies = await this.send({ type: 'ready' });
    const init = replies.find((m) => m.type === 'init');
    assert.ok(init, `no init among ${replies.map((m) => m.type).join(', ')}`);
    return init as Extract<H, { type: 'init' }>;
  }

  static async open<D, W extends Message, H extends Message>(api: AzureMlExtensionApi, viewType: string): Promise<FormDriver<D, W, H>> {
    const panel = await eventually(async () => {
      const last = api.forms.lastPanel;
      return last && last.definition.viewType === viewType ? last : undefined;
    }, `the ${viewType} panel`);
    return new FormDriver(panel as unknown as FormPanel<D, W, H>);
  }
}

export function only<H extends Message, T extends H['type']>(messages: H[], type: T): Array<Extract<H, { type: T }>> {
  return messages.filter((m) => m.type === type) as Array<Extract<H, { type: T }>>;
}

export function one<H extends Message, T extends H['type']>(messages: H[], type: T): Extract<H, { type: T }> {
  const found = only(messages, type);
  assert.equal(found.length, 1, `expected one ${type} among ${JSON.stringify(messages)}`);
  return found[0]!;
}
