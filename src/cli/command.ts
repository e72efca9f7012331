import type { ParseArgsConfig } from 'node:util';
import type { ResolvedTarget } from './target';

export type OptionSpec = NonNullable<ParseArgsConfig['options']>;

/** One `azml <name>` command: its own options on top of the target options. */
export interface CliCommand {
  name: string;
  summary: string;
  usage: string;
  options: OptionSpec;
  /** Whether the target must name one workspace (not just a subscription or the local service). */
  needsWorkspace: boolean;
  run(values: Record<string, string | boolean | undefined>, target: ResolvedTarget, positionals: string[]): Promise<number | void>;
}
