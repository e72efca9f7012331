import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startLocalWorkspace, type StartedLocalWorkspace } from '../support/localWorkspace';
import { assertRefused, azml, localTarget } from './harness';

/** A job file (`azml submit job.yml`) the service must never see, and what the one-line answer must say. */
interface Case {
  name: string;
  yaml: string | Buffer;
  says: RegExp;
}

const job = (extra: string, command = 'python train.py'): string =>
  `$schema: https://azuremlschemas.azureedge.net/latest/commandJob.schema.json\ncommand: ${command}\n`
  + `environment: azureml://registries/azureml/environments/sklearn-1.5/labels/latest\ncode: src\n${extra}`;

const syntax: Case[] = [
  { name: 'an unclosed quote', yaml: 'command: "python train.py\nenvironment: x\n', says: /job\.yml is not valid YAML: .*line \d+/ },
  { name: 'a tab used for indentation', yaml: 'inputs:\n\tlr: 0.1\ncommand: python train.py\n', says: /job\.yml is not valid YAML/ },
  { name: 'a key given twice', yaml: `${job('')}command: python other.py\n`, says: /job\.yml is not valid YAML: .*(unique|duplicate)/i },
  { name: 'a list instead of a mapping', yaml: '- command: python train.py\n', says: /job\.yml must be a mapping of job settings.*command:/ },
  { name: 'a plain word', yaml: 'train\n', says: /job\.yml must be a mapping of job settings.*command:/ },
  { name: 'an empty (zero-byte) file', yaml: '', says: /job\.yml is empty: write a command job.*command:/ },
  { name: 'only comments', yaml: '# a job, some day\n', says: /job\.yml is empty: write a command job.*command:/ },
  { name: 'binary content', yaml: Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x00, 0xff, 0xfe, 0x1b, 0x00, 0x0a]), says: /job\.yml is not a text file: .*command job/ },
  { name: 'an alias bomb (billion laughs)', yaml: `a: &a ["x","x","x","x","x","x","x","x","x"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\n${job('')}`, says: /job\.yml is not valid YAML: .*aliases/ },
];

const schema: Case[] = [
  { name: 'a pipeline job', yaml: '$schema: https://azuremlschemas.azureedge.net/latest/pipelineJob.schema.json\njobs: {}\n', says: /is not a command job.*only command jobs/ },
  { name: 'type: sweep', yaml: job('type: sweep\n'), says: /has type "sweep"; only command jobs \("type: command"\)/ },
  { name: 'no command', yaml: 'environment: azureml:env:1\n', says: /has no "command": say what to run, e\.g\. "command: python train\.py"/ },
  { name: 'an empty command', yaml: job('', '""'), says: /has no "command": say what to run/ },
  { name: 'a command given as a list', yaml: job('', '[python, train.py]'), says: /has no "command": say what to run/ },
  { name: 'a display_name that is a mapping', yaml: job('display_name: {a: 1}\n'), says: /"display_name" must be text/ },
  { name: 'tags given as a list', yaml: job('tags: [a, b]\n'), says: /"tags" must be a mapping of names to values/ },
  { name: 'environment_variables given as a list', yaml: job('environment_variables: [A=1]\n'), says: /"environment_variables" must be a mapping/ },
  { name: 'a limits.timeout that is not seconds', yaml: job('limits: {timeout: soon}\n'), says: /"limits.timeout" must be a number of seconds/ },
  { name: 'resources.instance_count of 0', yaml: job('resources: {instance_count: 0}\n'), says: /"resources.instance_count" must be a positive whole number/ },
  { name: 'a job name with spaces', yaml: job('name: my job\n'), says: /"my job" is not a valid job name: use letters, digits/ },
  { name: 'an experiment name with a slash', yaml: job('experiment_name: team/exp\n'), says: /experiment_name "team\/exp" is not a valid experiment name: use only letters, digits/ },
];

const inputsAndOutputs: Case[] = [
  { name: 'an unknown ${{inputs.lr}}', yaml: job('', 'python train.py --lr ${{inputs.lr}}'), says: /uses \$\{\{inputs\.lr\}\}, but the job declares no input "lr"/ },
  { name: 'an unknown ${{outputs.model}}', yaml: job('inputs: {lr: 0.1}\n', 'python train.py --lr ${{inputs.lr}} --out ${{outputs.model}}'), says: /declares no output "model"/ },
  { name: 'a misspelt input (${{inputs.lrate}} with lr declared)', yaml: job('inputs: {lr: 0.1}\n', 'python train.py --lr ${{inputs.lrate}}'), says: /declares no input "lrate"/ },
  { name: 'inputs given as a list', yaml: job('inputs: [lr]\n'), says: /"inputs" must be a mapping of names to inputs/ },
  { name: 'an integer input without a value', yaml: job('inputs: {epochs: {type: integer}}\n'), says: /Input "epochs" has type integer but no value/ },
  { name: 'an input of an unknown type', yaml: job('inputs: {data: {type: csv_file, path: "azureml://datastores/d/paths/x"}}\n'), says: /Input "data": type "csv_file" is not one of/ },
  { name: 'a data input without a path', yaml: job('inputs: {data: {type: uri_folder}}\n'), says: /Input "data" has no "path"/ },
  { name: 'a data input on a local path', yaml: job('inputs: {data: {type: uri_folder, path: ./data}}\n'), says: /Input "data" points at the local path "\.\/data"\. Upload it to a datastore first/ },
  { name: 'an input mode that does not exist', yaml: job('inputs: {data: {type: uri_folder, path: "azureml://datastores/d/paths/x", mode: mount}}\n'), says: /Input "data": mode "mount" is not one of ro_mount/ },
  { name: 'an output of an unknown type', yaml: job('outputs: {model: {type: folder}}\n'), says: /Output "model": type "folder" is not one of/ },
];

const codeAndReferences: Case[] = [
  { name: 'a code folder that does not exist', yaml: job('').replace('code: src', 'code: ../missing'), says: /"code: \.\.\/missing" does not exist \(looked for .*missing\)/ },
  { name: 'code that is a file', yaml: job('').replace('code: src', 'code: notes.txt'), says: /"code: notes\.txt" must be a folder, not a file/ },
  { name: 'code given as a number', yaml: job('').replace('code: src', 'code: 5'), says: /"code" must be a folder path \(relative to the job file\)/ },
  { name: 'code: azureml: without a version', yaml: job('').replace('code: src', 'code: azureml:mycode'), says: /"code: azureml:mycode" must be a local folder or "azureml:<name>:<version>"/ },
  { name: 'no environment', yaml: 'command: python train.py\n', says: /The job has no environment: set "environment"/ },
  { name: 'an inline environment', yaml: 'command: python train.py\nenvironment: {image: python:3.11}\n', says: /Inline environments .* are not supported here: register the environment/ },
  { name: 'an environment that is not a reference', yaml: 'command: python train.py\nenvironment: python3\n', says: /Environment "python3" is not a reference: write "azureml:python3@latest"/ },
  { name: 'an environment without a version', yaml: 'command: python train.py\nenvironment: azureml:myenv\n', says: /needs a version or a label: "azureml:myenv:<version>" or "azureml:myenv@latest"/ },
  { name: 'an environment that does not exist', yaml: 'command: python train.py\nenvironment: azureml:nosuchenv@latest\n', says: /environment "nosuchenv" was not found in workspace "local": register it there first/ },
  { name: 'a compute name with a space', yaml: job('compute: cpu cluster\n'), says: /"cpu cluster" is not a compute name: write it as "azureml:cpu-cluster"/ },
];

describe('bad input: job files (azml submit job.yml against the local workspace)', function () {
  this.timeout(60_000);
  let local: StartedLocalWorkspace;
  let work: string;

  before(async () => {
    local = await startLocalWorkspace();
    work = mkdtempSync(path.join(os.tmpdir(), 'azml-bad-yaml-'));
    mkdirSync(path.join(work, 'src'));
    writeFileSync(path.join(work, 'src', 'train.py'), 'print("train")\n');
    writeFileSync(path.join(work, 'notes.txt'), 'notes');
  });
  after(async () => {
    await local?.dispose();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  const groups: Array<[string, Case[]]> = [
    ['YAML syntax and shape', syntax],
    ['command job schema', schema],
    ['inputs, outputs and ${{…}} references', inputsAndOutputs],
    ['code folder, environment and compute', codeAndReferences],
  ];
  for (const [group, cases] of groups) {
    describe(group, () => {
      for (const c of cases) {
        it(c.name, () => {
          writeFileSync(path.join(work, 'job.yml'), c.yaml);
          assertRefused(azml(['submit', path.join(work, 'job.yml'), ...localTarget(local)], { cwd: work }), c.says);
        });
      }
    });
  }

  it('none of the refused job files created a job or uploaded a snapshot', () => {
    const jobs = azml(['jobs', '--view', 'All', '--json', ...localTarget(local)]);
    assert.equal(jobs.status, 0, jobs.stderr);
    assert.deepEqual(JSON.parse(jobs.stdout), []);
  });
});
