/** `azml`: a small command line over the same clients and engines as the extension. */
import { parseArgs } from 'node:util';
import { networkSettingsFromEnvironment } from '../azure/networkSettings';
import { maskSecrets } from '../azure/secrets';
import { useNetworkSettings } from '../azure/transport';
import type { CliCommand } from './command';
import { datastoresCommand } from './commands/datastores';
import { downloadCommand } from './commands/download';
import { cancelCommand } from './commands/cancel';
import { jobsCommand } from './commands/jobs';
import { logsCommand } from './commands/logs';
import { modelsCommand } from './commands/models';
import { submitCommand } from './commands/submit';
import { uploadCommand } from './commands/upload';
import { workspacesCommand } from './commands/workspaces';
import { resolveTarget, targetOptions } from './target';
import { targetOptionsHelp, UsageError } from './usage';

const commands: readonly CliCommand[] = [workspacesCommand, datastoresCommand, modelsCommand, jobsCommand, submitCommand, logsCommand, cancelCommand, uploadCommand, downloadCommand];

function help(): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  return [
    'Usage: azml <command> [options]',
    '',
    'Commands:',
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    targetOptionsHelp,
  ].join('\n');
}

async function run(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(`${help()}\n`);
    return name === undefined ? 2 : 0;
  }
  const command = commands.find((c) => c.name === name);
  if (!command) throw new UsageError(`Unknown command "${name}". Commands: ${commands.map((c) => c.name).join(', ')}.`);
  let parsed;
  try {
    parsed = parseArgs({
      args: rest,
      options: { ...targetOptions, ...command.options, help: { type: 'boolean', short: 'h' } },
      allowPositionals: true,
      strict: true,
    });
  } catch (e) {
    throw new UsageError(`${(e as Error).message.split('\n')[0]}`);
  }
  const values = parsed.values as Record<string, string | boolean | undefined>;
  if (values['help']) {
    process.stdout.write(`Usage: ${command.usage}\n\n${targetOptionsHelp}\n`);
    return 0;
  }
  // HTTPS_PROXY / NO_PROXY / NODE_EXTRA_CA_CERTS, for every client the command makes.
  useNetworkSettings(networkSettingsFromEnvironment(process.env));
  const target = await resolveTarget(values, command.needsWorkspace);
  return (await command.run(values, target, parsed.positionals)) ?? 0;
}

run(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    const usage = error instanceof UsageError;
    const message = error instanceof Error ? error.message : String(error);
    const firstLine = maskSecrets(message).split('\n')[0];
    process.stderr.write(`azml: ${firstLine}${usage ? ' (azml --help lists commands and options)' : ''}\n`);
    process.exitCode = usage ? 2 : 1;
  },
);
