import { constants, promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { JobView } from '../workspaceApi';

const isWindows = process.platform === 'win32';

/**
 * What a job inherits from the service's environment: the machine's basics (PATH, home, locale,
 * temp folders, an active Python or conda environment), not the service's own settings.
 */
const inherited = [
  'PATH', 'HOME', 'USER', 'LOGNAME', 'SHELL', 'LANG', 'LANGUAGE', 'TZ', 'TMPDIR', 'TEMP', 'TMP',
  'VIRTUAL_ENV', 'CONDA_PREFIX', 'CONDA_DEFAULT_ENV', 'CONDA_EXE', 'PYENV_ROOT', 'PYENV_VERSION',
  // Windows.
  'SYSTEMROOT', 'SYSTEMDRIVE', 'WINDIR', 'COMSPEC', 'PATHEXT', 'USERPROFILE', 'USERNAME', 'APPDATA', 'LOCALAPPDATA',
  'PROGRAMDATA', 'PROGRAMFILES', 'PROGRAMFILES(X86)', 'NUMBER_OF_PROCESSORS', 'PROCESSOR_ARCHITECTURE',
];

function pathKey(env: NodeJS.ProcessEnv): string {
  return Object.keys(env).find((k) => k.toUpperCase() === 'PATH') ?? 'PATH';
}

/** The full path of an executable found on `searchPath`, or undefined. */
export async function findExecutable(name: string, searchPath: string | undefined): Promise<string | undefined> {
  const extensions = isWindows ? (process.env['PATHEXT'] ?? '.EXE;.CMD;.BAT').split(';') : [''];
  for (const dir of (searchPath ?? '').split(path.delimiter).filter(Boolean)) {
    for (const ext of extensions) {
      const candidate = path.join(dir, name + ext);
      try {
        const stat = await fs.stat(candidate);
        if (!stat.isFile()) continue;
        if (!isWindows) await fs.access(candidate, constants.X_OK);
        return candidate;
      } catch {
        // Not here.
      }
    }
  }
  return undefined;
}

/** `bash` when the machine has it, else `sh` (`cmd.exe` on Windows). */
export async function commandShell(env: NodeJS.ProcessEnv = process.env): Promise<string> {
  if (isWindows) return env['ComSpec'] ?? env['COMSPEC'] ?? 'cmd.exe';
  return (await findExecutable('bash', env[pathKey(env)])) ?? '/bin/sh';
}

/**
 * Azure ML images answer to `python`; many machines only have `python3`. When `python` is
 * missing but `python3` exists, writes a `python` that runs python3 into `toolsDir` and answers
 * that folder (to go first on PATH); otherwise undefined.
 */
export async function preparePythonShim(toolsDir: string, env: NodeJS.ProcessEnv = process.env): Promise<string | undefined> {
  if (isWindows) return undefined;
  const searchPath = env[pathKey(env)];
  if (await findExecutable('python', searchPath)) return undefined;
  const python3 = await findExecutable('python3', searchPath);
  if (!python3) return undefined;
  await fs.mkdir(toolsDir, { recursive: true });
  await fs.writeFile(path.join(toolsDir, 'python'), `#!/bin/sh\nexec '${python3.replace(/'/g, `'\\''`)}' "$@"\n`, { mode: 0o755 });
  return toolsDir;
}

/** Where a job's MLflow client logs to: its workspace's tracking URI and a token for it. */
export interface JobTracking {
  uri: string;
  token: string;
}

/**
 * The environment a job's command runs with. With `tracking`, the MLFLOW_* variables Azure ML
 * sets, so a script's `mlflow.log_metric(...)` logs to the job's own run unchanged.
 */
export function jobEnvironment(job: JobView, options: { toolsDir?: string; base?: NodeJS.ProcessEnv; tracking?: JobTracking } = {}): NodeJS.ProcessEnv {
  const base = options.base ?? process.env;
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(base)) {
    const upper = key.toUpperCase();
    if (value !== undefined && (inherited.includes(upper) || upper.startsWith('LC_'))) env[key] = value;
  }
  const key = pathKey(env);
  if (options.toolsDir) env[key] = [options.toolsDir, env[key]].filter(Boolean).join(path.delimiter);
  Object.assign(env, {
    AZUREML_RUN_ID: job.name,
    AZUREML_EXPERIMENT_NAME: job.experimentName,
    PYTHONUNBUFFERED: '1',
  }, options.tracking ? {
    MLFLOW_TRACKING_URI: options.tracking.uri,
    MLFLOW_TRACKING_TOKEN: options.tracking.token,
    MLFLOW_RUN_ID: job.name,
    MLFLOW_EXPERIMENT_NAME: job.experimentName,
  } : {}, job.environmentVariables);
  return env;
}
