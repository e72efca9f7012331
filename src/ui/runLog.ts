import * as vscode from 'vscode';
import { maskSecrets } from '../azure/secrets';

/** The transcript kept for `text` (tests, copy): the newest characters up to this many. */
const transcriptLimit = 2 * 1024 * 1024;

/** One run's log: an output channel named after the run, plus the text written to it. */
export class RunLog implements vscode.Disposable {
  private readonly channel: vscode.OutputChannel;
  private chunks: string[] = [];
  private length = 0;

  constructor(readonly jobName: string) {
    this.channel = vscode.window.createOutputChannel(vscode.l10n.t('Azure ML Run: {0}', jobName));
  }

  /** Everything written here passes through maskSecrets: not only the tailer's lines reach it (the submit's own intro does). */
  appendLines(lines: readonly string[]): void {
    if (lines.length === 0) return;
    const text = maskSecrets(`${lines.join('\n')}\n`);
    this.channel.append(text);
    this.chunks.push(text);
    this.length += text.length;
    if (this.length > transcriptLimit * 2) {
      const joined = this.chunks.join('').slice(-transcriptLimit);
      this.chunks = [joined];
      this.length = joined.length;
    }
  }

  clear(): void {
    this.channel.clear();
    this.chunks = [];
    this.length = 0;
  }

  show(): void {
    this.channel.show(true);
  }

  /** What was written since the last clear (the newest 2 MiB at least). */
  get text(): string {
    return this.chunks.join('');
  }

  dispose(): void {
    this.channel.dispose();
  }
}
