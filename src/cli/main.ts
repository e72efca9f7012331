/** `azml`: a small command line over the same clients and engines as the extension. */
import { parseArgs } from 'node:util';
import { AzureMlError, toAzureMlError } from '../azure/errors';
import { networkSettingsFromEnvironment } from '../azure/networkSettings';
import { useNetworkSettings } from '../azure/transport';
import type { CliCommand } from './command';
import { datastoresCommand } from './commands/datastores';
import { archiveRunsCommand, deleteCommand, restoreRunsCommand } from './commands/delete';
import { downloadCommand } from './commands/download';
import { downloadModelCommand } from './commands/downloadModel';
import { backupModelCommand } from './commands/backupModel';
import { errorLine } from './errorLine';
import { exportCommand } from './commands/export';
import { cancelCommand } from './commands/cancel';
import { compareCommand } from './commands/compare';
import { jobsCommand } from './commands/jobs';
import { logsCommand } from './commands/logs';
import { metricsCommand } from './commands/metrics';
import { modelsCommand } from './commands/models';
import { sasCommand } from './commands/sas';
import { submitCommand } from './commands/submit';
import { transfersCommand } from './commands/transfers';
import { uploadCommand } from './commands/upload';
import { workspacesCommand } from './commands/workspaces';
import { accessTokenVariable, resolveTarget, targetOptions } from './target';
import { targetOptionsHelp, UsageError } from './usage';

const commands: readonly CliCommand[] = [workspacesCommand, datastoresCommand, modelsCommand, jobsCommand, submitCommand, logsCommand, cancelCommand, metricsCommand, compareCommand, uploadCommand, downloadCommand, exportCommand, downloadModelCommand, backupModelCommand, sasCommand, archiveRunsCommand, restoreRunsCommand, deleteCommand, transfersCommand];

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

/** A fixed token's expiry is unknown: a 401 most likely means it expired. */
function refusedAccessToken(error: unknown): unknown {
  const e = toAzureMlError(error);
  if (e.status !== 401) return error;
  return new AzureMlError(`The token in ${accessTokenVariable} was refused (expired, or not for this cloud): `
    + 'get a new one (az account get-access-token) and set it again.', 401, e.code);
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
    // Node's first line names the problem; a second one, when there is one, the likely slip ("Did you forget…").
    throw new UsageError((e as Error).message.split('\n').slice(0, 2).join(' '));
  }
  const values = parsed.values as Record<string, string | boolean | undefined>;
  if (values['help']) {
    process.stdout.write(`Usage: ${command.usage}\n\n${targetOptionsHelp}\n`);
    return 0;
  }
  // HTTPS_PROXY / NO_PROXY / NODE_EXTRA_CA_CERTS, for every client the command makes.
  useNetworkSettings(networkSettingsFromEnvironment(process.env));
  const target = await resolveTarget(values, command.needsWorkspace);
  try {
    return (await command.run(values, target, parsed.positionals)) ?? 0;
  } catch (error) {
    throw target.tokenFromEnvironment ? refusedAccessToken(error) : error;
  }
}

run(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    const { line, exitCode } = errorLine(error);
    process.stderr.write(`azml: ${line}\n`);
    process.exitCode = exitCode;
  },
);
