import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startLocalWorkspace, type StartedLocalWorkspace } from '../support/localWorkspace';
import { assertRefused, azml, localTarget, treeOf } from './harness';

/** One wrong command line: the words typed (after `azml`), and what the one-line answer must say. */
interface Case {
  name: string;
  args: (work: string) => string[];
  says: RegExp;
  /** Leave out `--local --data …` (cases about the Azure target flags). */
  azureTarget?: true;
}

const long = (n: number): string => 'a'.repeat(n);

const datastoreNames: Case[] = [
  { name: 'a datastore name with a space and "!"', args: (w) => ['upload', `${w}/project`, '--datastore', 'bad name!'], says: /datastore name.*letters, digits and underscores/i },
  { name: 'a datastore name with ".."', args: (w) => ['upload', `${w}/project`, '--datastore', '../x'], says: /datastore name.*letters, digits and underscores/i },
  { name: 'a datastore name with a slash', args: () => ['download', '--datastore', 'a/b', '--path', 'x', '--to', 'out'], says: /datastore name.*letters, digits and underscores/i },
  { name: 'a datastore name of 256 characters', args: (w) => ['upload', `${w}/project`, '--datastore', long(256)], says: /datastore name.*at most 255/i },
  { name: 'an empty datastore name', args: (w) => ['upload', `${w}/project`, '--datastore', ''], says: /--datastore <name>.*azml datastores/ },
  { name: 'a datastore that does not exist (upload)', args: (w) => ['upload', `${w}/project`, '--datastore', 'nosuchstore'], says: /"nosuchstore".*azml datastores lists/ },
  { name: 'a datastore that does not exist (download)', args: () => ['download', '--datastore', 'nosuchstore', '--path', 'x', '--to', 'out'], says: /"nosuchstore".*azml datastores lists/ },
  { name: 'a datastore name with a control character', args: (w) => ['upload', `${w}/project`, '--datastore', 'a\u0001b'], says: /datastore name.*letters, digits and underscores/i },
];

const modelNames: Case[] = [
  { name: 'a model name with a space', args: () => ['models', '--name', 'my model'], says: /model name.*letters, digits, hyphens/i },
  { name: 'a model name with a path', args: () => ['models', '--name', '../../models'], says: /model name.*(letter or digit|letters, digits)/i },
  { name: 'a model name starting with a hyphen', args: () => ['models', '--name=-m'], says: /model name.*start with a letter or digit/i },
  { name: 'a model name of 300 characters', args: () => ['models', '--name', long(300)], says: /model name.*at most 255/i },
  { name: 'a model that does not exist', args: () => ['models', '--name', 'nosuchmodel'], says: /"nosuchmodel".*azml models lists/ },
];

const targetPaths: Case[] = [
  { name: 'an upload --target with ".."', args: (w) => ['upload', `${w}/project`, '--datastore', 'workspaceblobstore', '--target', '../outside'], says: /--target.*"\." or "\.\."/ },
  { name: 'an upload --target with ".." in the middle', args: (w) => ['upload', `${w}/project`, '--datastore', 'workspaceblobstore', '--target', 'a/../../b'], says: /--target.*"\." or "\.\."/ },
  { name: 'an upload --target with "."', args: (w) => ['upload', `${w}/project`, '--datastore', 'workspaceblobstore', '--target', 'a/./b'], says: /--target.*"\." or "\.\."/ },
  { name: 'an upload --target with a backslash', args: (w) => ['upload', `${w}/project`, '--datastore', 'workspaceblobstore', '--target', 'a\\b'], says: /--target.*Use "\/"/ },
  { name: 'an upload --target with a control character', args: (w) => ['upload', `${w}/project`, '--datastore', 'workspaceblobstore', '--target', 'a\u0007b'], says: /--target.*control characters/ },
  { name: 'an upload --target of 1,100 characters', args: (w) => ['upload', `${w}/project`, '--datastore', 'workspaceblobstore', '--target', long(1100)], says: /--target.*too long.*1,024/ },
  { name: 'an upload --target with a folder name of 300 characters (file share)', args: (w) => ['upload', `${w}/project`, '--datastore', 'workspacefilestore', '--target', `x/${long(300)}`], says: /--target.*folder name.*255/ },
  { name: 'a download --path with ".."', args: () => ['download', '--datastore', 'workspaceblobstore', '--path', '..', '--to', 'out'], says: /--path.*"\." or "\.\."/ },
  { name: 'a download --path with a backslash', args: () => ['download', '--datastore', 'workspaceblobstore', '--path', 'a\\b', '--to', 'out'], says: /--path.*Use "\/"/ },
  { name: 'a download --path with a control character', args: () => ['download', '--datastore', 'workspaceblobstore', '--path', 'a\u001bb', '--to', 'out'], says: /--path.*control characters/ },
  { name: 'a download --path of 1,100 characters', args: () => ['download', '--datastore', 'workspaceblobstore', '--path', long(1100), '--to', 'out'], says: /--path.*too long.*1,024/ },
  { name: 'a download --to that is a file', args: (w) => ['download', '--datastore', 'workspaceblobstore', '--path', '', '--to', `${w}/file.txt`], says: /file\.txt is a file: choose a folder to download into/ },
  { name: 'a download --to below a file', args: (w) => ['download', '--datastore', 'workspaceblobstore', '--path', '', '--to', `${w}/file.txt/sub`], says: /file\.txt is a file: choose a folder to download into/ },
  { name: 'an empty download --to', args: () => ['download', '--datastore', 'workspaceblobstore', '--path', '', '--to', ''], says: /--to <folder>/ },
  { name: 'a download without --path', args: () => ['download', '--datastore', 'workspaceblobstore', '--to', 'out'], says: /--path <folder in the datastore>/ },
];

const options: Case[] = [
  { name: 'an unknown --on-exists', args: (w) => ['upload', `${w}/project`, '--datastore', 'workspaceblobstore', '--on-exists', 'sometimes'], says: /--on-exists takes one of overwrite, skip, skip-unchanged/ },
  { name: 'an unknown option', args: () => ['datastores', '--frobnicate'], says: /Unknown option '--frobnicate'.*azml --help/ },
  { name: 'an option without its value', args: () => ['download', '--datastore'], says: /--datastore.*forget to specify the option argument for '--datastore'.*azml --help/ },
  { name: 'an unknown command', args: () => ['frobnicate'], says: /Unknown command "frobnicate"\. Commands: / },
  { name: 'upload without a folder', args: () => ['upload', '--datastore', 'workspaceblobstore'], says: /Name the folder to upload/ },
  { name: 'upload of a folder that does not exist', args: (w) => ['upload', `${w}/nope`, '--datastore', 'workspaceblobstore'], says: /nope.*does not exist.*check the path/i },
  { name: 'an unknown --cloud', args: () => ['datastores', '--subscription', 's', '--resource-group', 'g', '--workspace', 'w', '--cloud', 'Mars'], says: /Unknown --cloud "Mars"\. Use one of: AzureCloud/, azureTarget: true },
  { name: 'Azure flags without the workspace', args: () => ['datastores', '--subscription', 's'], says: /Name the workspace: --local, or --subscription/, azureTarget: true },
  { name: 'jobs --top that is not a number', args: () => ['jobs', '--top', 'many'], says: /--top takes a positive whole number/ },
  { name: 'jobs --top 0', args: () => ['jobs', '--top', '0'], says: /--top takes a positive whole number/ },
  { name: 'jobs --view that does not exist', args: () => ['jobs', '--view', 'Everything'], says: /--view takes one of ActiveOnly, ArchivedOnly, All/ },
  { name: 'jobs --experiment with characters no experiment has', args: () => ['jobs', '--experiment', 'my experiment!'], says: /experiment name.*letters, digits, hyphens/i },
  { name: 'submit of two files', args: (w) => ['submit', `${w}/project/a.py`, `${w}/project/b.py`], says: /Name one file: azml submit/ },
  { name: 'submit --input without "="', args: (w) => ['submit', `${w}/project/a.py`, '--input', 'lr'], says: /--input takes name=value, not "lr"/ },
  { name: 'submit --experiment with a slash', args: (w) => ['submit', `${w}/project/a.py`, '--experiment', 'a/b'], says: /experiment name.*letters, digits, hyphens/i },
  { name: 'submit --compute that is not a name', args: (w) => ['submit', `${w}/project/a.py`, '--compute', 'cpu cluster'], says: /"cpu cluster" is not a compute name.*azureml:cpu-cluster/ },
  { name: 'submit --environment that is not a reference', args: (w) => ['submit', `${w}/project/a.py`, '--environment', 'python3'], says: /Environment "python3" is not a reference: write "azureml:python3@latest"/ },
  { name: 'submit --environment with a label other than latest', args: (w) => ['submit', `${w}/project/a.py`, '--environment', 'azureml:env@stable'], says: /only the label "@latest"/ },
  { name: 'submit --input without a name', args: (w) => ['submit', `${w}/project/a.py`, '--input', '=5'], says: /--input takes name=value, not "=5"/ },
  { name: 'logs without a job', args: () => ['logs'], says: /Name one job: azml logs <job>/ },
  { name: 'logs of a job that does not exist', args: () => ['logs', 'nosuchjob'], says: /Job "nosuchjob" does not exist.*azml jobs lists/ },
  { name: 'cancel of a job that does not exist', args: () => ['cancel', 'nosuchjob'], says: /Job "nosuchjob" does not exist.*azml jobs lists/ },
  { name: 'a job name with a path', args: () => ['logs', '../../etc'], says: /job name.*letters, digits, hyphens/i },
];

describe('bad input: command-line words (azml against the local workspace)', function () {
  this.timeout(60_000);
  let local: StartedLocalWorkspace;
  let work: string;

  before(async () => {
    local = await startLocalWorkspace();
    work = mkdtempSync(path.join(os.tmpdir(), 'azml-bad-args-'));
    mkdirSync(path.join(work, 'project'));
    writeFileSync(path.join(work, 'project', 'a.py'), 'print("a")\n');
    writeFileSync(path.join(work, 'project', 'b.py'), 'print("b")\n');
    writeFileSync(path.join(work, 'file.txt'), 'not a folder');
  });
  after(async () => {
    await local?.dispose();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  const groups: Array<[string, Case[]]> = [
    ['datastore names', datastoreNames],
    ['model names', modelNames],
    ['datastore paths and local folders', targetPaths],
    ['options and names', options],
  ];
  for (const [group, cases] of groups) {
    describe(group, () => {
      for (const c of cases) {
        it(c.name, () => {
          const before = treeOf(work);
          const result = azml([...c.args(work), ...(c.azureTarget ? [] : localTarget(local))], { cwd: work });
          assertRefused(result, c.says);
          assert.deepEqual(treeOf(work), before, 'nothing written in the working folder');
        });
      }
    });
  }
});
