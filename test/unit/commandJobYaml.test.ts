import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { commandJobFromYaml } from '../../src/core/jobSpec/commandJobYaml';
import type { JobSpecContext } from '../../src/core/jobSpec/jobDraft';
import { JobSpecError } from '../../src/core/jobSpec/jobSpecError';

const ws = '/subscriptions/s1/resourceGroups/rg1/providers/Microsoft.MachineLearningServices/workspaces/ws1';

describe('command job YAML (Azure ML CLI v2 schema) to a job', () => {
  let dir: string;
  let yamlPath: string;
  const latestAsked: string[] = [];
  const context: JobSpecContext = {
    workspaceId: ws,
    latestEnvironmentVersion: async (name) => {
      latestAsked.push(name);
      return '7';
    },
  };

  before(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'azml-yaml-'));
    mkdirSync(path.join(dir, 'jobs', 'src'), { recursive: true });
    yamlPath = path.join(dir, 'jobs', 'train.yml');
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  const parse = (text: string) => commandJobFromYaml(text, yamlPath, context);

  it('maps every supported key to the REST shapes, code relative to the file', async () => {
    const draft = await parse(`
$schema: https://azuremlschemas.azureedge.net/latest/commandJob.schema.json
command: >-
  python train.py --lr \${{inputs.lr}} --data \${{inputs.data}} --out \${{outputs.model}}
code: ./src
environment: azureml:my-env:3
compute: azureml:cpu-cluster
experiment_name: fraud
display_name: Train fraud model
description: First try
tags: { owner: me, attempt: 2 }
environment_variables: { MODE: fast }
inputs:
  lr: 0.01
  data:
    type: uri_folder
    path: azureml://datastores/workspaceblobstore/paths/data/
    mode: ro_mount
outputs:
  model:
    type: uri_folder
limits:
  timeout: 3600
`);
    assert.deepEqual(draft.warnings, []);
    assert.equal(draft.codeFolder, path.join(dir, 'jobs', 'src'));
    assert.deepEqual(draft.job, {
      command: 'python train.py --lr ${{inputs.lr}} --data ${{inputs.data}} --out ${{outputs.model}}',
      environmentId: `${ws}/environments/my-env/versions/3`,
      experimentName: 'fraud',
      displayName: 'Train fraud model',
      description: 'First try',
      tags: { owner: 'me', attempt: '2' },
      environmentVariables: { MODE: 'fast' },
      computeId: `${ws}/computes/cpu-cluster`,
      inputs: {
        lr: { type: 'literal', value: '0.01' },
        data: { type: 'uri_folder', uri: 'azureml://datastores/workspaceblobstore/paths/data/', mode: 'ReadOnlyMount' },
      },
      outputs: { model: { type: 'uri_folder' } },
      timeout: 'PT3600S',
    });
  });

  it('resolves azureml:<name>@latest to the latest version and passes registry and curated ids through', async () => {
    const latest = await parse('command: python a.py\nenvironment: azureml:my-env@latest\n');
    assert.equal(latest.job.environmentId, `${ws}/environments/my-env/versions/7`);
    assert.deepEqual(latestAsked, ['my-env']);
    const registry = 'azureml://registries/azureml/environments/sklearn-1.5/labels/latest';
    assert.equal((await parse(`command: python a.py\nenvironment: ${registry}\n`)).job.environmentId, registry);
    const curated = 'azureml:AzureML-sklearn-1.0-ubuntu20.04-py38-cpu@latest';
    assert.equal((await parse(`command: python a.py\nenvironment: ${curated}\n`)).job.environmentId, curated);
  });

  it('defaults the experiment to the folder of the job file and has no code without "code"', async () => {
    const draft = await parse('command: echo hi\nenvironment: azureml:env:1\n');
    assert.equal(draft.job.experimentName, 'jobs');
    assert.equal(draft.codeFolder, undefined);
  });

  it('warns about keys it does not map and still builds the job', async () => {
    const draft = await parse('command: echo hi\nenvironment: azureml:env:1\ndistribution:\n  type: pytorch\nresources:\n  instance_count: 2\n  instance_type: Standard_DS3_v2\n');
    assert.equal(draft.job.instanceCount, 2);
    assert.deepEqual(draft.warnings, ['Ignored "distribution": not supported when submitting from here.', 'Ignored "resources.instance_type".']);
  });

  async function rejects(text: string, message: RegExp): Promise<void> {
    await assert.rejects(parse(text), (e: unknown) => e instanceof JobSpecError && message.test(e.message));
  }

  it('refuses what the service would refuse, saying what to change', async () => {
    await rejects('environment: azureml:env:1\n', /has no "command"/);
    await rejects('command: python a.py\nenvironment:\n  image: python:3.11\n', /Inline environments .* not supported/);
    await rejects('command: python a.py\n', /no environment/);
    await rejects('command: python a.py\nenvironment: my-env\n', /write "azureml:my-env@latest"/);
    await rejects('command: python a.py\nenvironment: azureml:my-env\n', /needs a version or a label/);
    await rejects('command: python a.py ${{inputs.x}}\nenvironment: azureml:e:1\n', /declares no input "x"/);
    await rejects('command: python a.py\nenvironment: azureml:e:1\ninputs:\n  data:\n    type: uri_folder\n    path: ./data\n', /local path "\.\/data".*datastore/);
    await rejects('command: python a.py\nenvironment: azureml:e:1\ncode: ./missing\n', /does not exist/);
    await rejects('type: pipeline\njobs: {}\n', /only command jobs/);
    await rejects('command: [unclosed\n', /not valid YAML/);
  });
});
