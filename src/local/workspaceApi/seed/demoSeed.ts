import { randomUUID } from 'node:crypto';
import type { ApiContext } from '../context';
import { demoJobProperty } from '../jobs/jobStore';
import type { AssetRegistry } from '../resources/assets';
import { specContext } from '../resources/jobs';
import { normalizeJobSpec } from '../resources/jobValidation';
import type { Audit, JobRecord } from '../store/records';
import type { WorkspaceData } from '../store/workspaceStore';
import { demoTraining, type DemoTraining } from './demoMetrics';
import { fraudDetectionRuns, imageClassificationRuns, type DemoRun } from './demoRuns';
import { seededRandom } from './random';

function auditAt(at: Date, by: string): Audit {
  return { createdAt: at.toISOString(), createdBy: by, lastModifiedAt: at.toISOString(), lastModifiedBy: by };
}

function jobRecordOf(api: ApiContext, data: WorkspaceData, run: DemoRun): JobRecord {
  const properties = normalizeJobSpec({
    jobType: 'Command',
    experimentName: run.experimentName,
    displayName: run.displayName,
    description: run.description,
    command: run.command,
    environmentId: run.environmentId,
    inputs: run.inputs,
    outputs: run.outputs,
    tags: run.tags,
    // Seeded runs are for looking at; a job runner must not pick up the Running/Queued ones.
    properties: { [demoJobProperty]: 'true' },
    resources: { instanceCount: 1 },
    limits: { jobLimitsType: 'Command', timeout: 'PT2H' },
  }, specContext(api, data, run.name), true);
  const record: JobRecord = {
    ...auditAt(run.createdAt, run.createdBy),
    lastModifiedAt: (run.endTime ?? run.startTime ?? run.createdAt).toISOString(),
    name: run.name,
    runUuid: randomUUID(),
    properties,
    status: run.status,
    logFiles: [],
  };
  if (run.startTime) record.startTimeUtc = run.startTime.toISOString();
  if (run.endTime) record.endTimeUtc = run.endTime.toISOString();
  if (run.error) record.error = run.error;
  return record;
}

interface DemoModelVersion {
  name: string;
  version: string;
  at: Date;
  by: string;
  properties: Record<string, unknown>;
}

function demoModels(now: Date, fraudRuns: DemoRun[], imageRuns: DemoRun[]): DemoModelVersion[] {
  const completed = fraudRuns.filter((r) => r.status === 'Completed');
  const fraudSources = [completed[8]!, completed[24]!, completed[completed.length - 1]!];
  const aucs = ['0.941', '0.957', '0.963'];
  const fraud = fraudSources.map((run, i): DemoModelVersion => ({
    name: 'fraud-classifier',
    version: String(i + 1),
    at: new Date(run.endTime!.getTime() + 5 * 60_000),
    by: run.createdBy,
    properties: {
      modelType: 'mlflow_model',
      modelUri: `azureml://jobs/${run.name}/outputs/artifacts/paths/model/`,
      jobName: run.name,
      description: `Fraud classifier from run ${run.displayName} (AUC ${aucs[i]}).`,
      tags: { auc: aucs[i]!, dataset: 'transactions-2024q4', model_family: run.tags['model_family']! },
      properties: { 'mlflow.version': '2.16.2' },
      flavors: {
        python_function: { data: { loader_module: 'mlflow.sklearn', python_version: '3.10.14', env: 'conda.yaml' } },
        sklearn: { data: { sklearn_version: '1.5.1', serialization_format: 'cloudpickle' } },
      },
    },
  }));
  const imageDone = imageRuns.filter((r) => r.status === 'Completed');
  const resnet = [imageDone[0]!, imageDone[imageDone.length - 1]!].map((run, i): DemoModelVersion => ({
    name: 'resnet50-finetuned',
    version: String(i + 1),
    at: new Date(run.endTime!.getTime() + 10 * 60_000),
    by: run.createdBy,
    properties: {
      modelType: 'custom_model',
      modelUri: `azureml://datastores/workspaceblobstore/paths/models/resnet50-finetuned/v${i + 1}/`,
      jobName: run.name,
      description: `ResNet-50 fine-tuned on the product catalogue (${run.displayName}).`,
      tags: { top1_accuracy: i === 0 ? '0.884' : '0.912', framework: 'pytorch-2.2' },
      properties: {},
    },
  }));
  const embedder: DemoModelVersion = {
    name: 'text-embedder',
    version: '1',
    at: new Date(now.getTime() - 9 * 24 * 3_600_000),
    by: 'Aiko Tanaka',
    properties: {
      modelType: 'triton_model',
      modelUri: 'azureml://datastores/workspaceblobstore/paths/models/text-embedder/triton/',
      description: 'Sentence embedding model (384 dimensions) packaged for Triton Inference Server.',
      tags: { dimensions: '384', backend: 'onnxruntime' },
      properties: {},
    },
  };
  return [...fraud, ...resnet, embedder];
}

const containerInfo: Record<string, Record<string, unknown>> = {
  'fraud-classifier': { description: 'Card-transaction fraud classifier (MLflow).', tags: { team: 'risk-ml' } },
  'resnet50-finetuned': { description: 'Product photo classifier, 12 classes.', tags: { team: 'vision' } },
  'text-embedder': { description: 'Embeddings for catalogue search.', tags: { team: 'search' } },
};

/** Adds the demo runs and models that are missing (deterministic names make this idempotent); answers the runs. */
export function seedDemoData(api: ApiContext, data: WorkspaceData, models: AssetRegistry): DemoRun[] {
  const now = api.now();
  const fraudRuns = fraudDetectionRuns(now);
  const imageRuns = imageClassificationRuns(now);
  for (const run of [...fraudRuns, ...imageRuns]) {
    if (!data.jobs.has(run.name)) data.jobs.set(jobRecordOf(api, data, run));
  }
  for (const model of demoModels(now, fraudRuns, imageRuns)) {
    if (data.models.versions.get(`${model.name}/${model.version}`)) continue;
    const audit = auditAt(model.at, model.by);
    if (!data.models.containers.has(model.name)) models.upsertContainer(data, model.name, { ...containerInfo[model.name] }, audit);
    models.storeVersion(data, model.name, model.version, model.properties, audit);
  }
  return [...fraudRuns, ...imageRuns];
}

/** What a seeded run's inputs and tags say about its training. */
export function demoTrainingOf(run: {
  name: string; experimentName: string; inputs: Record<string, Record<string, unknown>>; tags: Record<string, string>;
}): DemoTraining {
  const literal = (input: string): string | undefined => {
    const value = run.inputs[input]?.['value'];
    return typeof value === 'string' && value !== '' ? value : undefined;
  };
  const learningRate = literal('learning_rate');
  const epochs = literal('epochs');
  return demoTraining({
    name: run.name,
    experimentName: run.experimentName,
    ...(learningRate ? { learningRate } : {}),
    ...(epochs ? { epochs } : {}),
    ...(run.tags['model_family'] ? { modelFamily: run.tags['model_family'] } : {}),
  });
}

/** How far a seeded run got: all steps when it completed, part of them otherwise. */
function stepsLogged(run: DemoRun, total: number, random: () => number): number {
  switch (run.status) {
    case 'Completed': return total;
    case 'Failed': return Math.max(3, Math.floor(total * (0.1 + random() * 0.5)));
    case 'Canceled': return Math.max(3, Math.floor(total * (0.3 + random() * 0.5)));
    case 'Running': return Math.floor(total * 0.3);
    default: return 0;
  }
}

/**
 * Gives each seeded run that has started its params and metric histories (once: a run that
 * already has some is left alone). A run that failed on NaN input ends with a NaN loss.
 */
export async function seedDemoMetrics(api: ApiContext, data: WorkspaceData, runs: readonly DemoRun[]): Promise<void> {
  const now = api.now().getTime();
  for (const run of runs) {
    const job = data.jobs.get(run.name);
    if (!job || !run.startTime) continue;
    const logged = await api.tracking.read(data.dir, job.runUuid);
    if (logged.metrics.size > 0 || logged.params.size > 0) continue;
    const training = demoTrainingOf(run);
    const steps = stepsLogged(run, training.totalSteps, seededRandom(training.totalSteps + run.name.length));
    const start = run.startTime.getTime();
    const end = run.endTime?.getTime() ?? now;
    const metrics = [];
    for (let step = 0; step < steps; step++) {
      metrics.push(...training.pointsAt(step, Math.round(start + ((end - start) * (step + 1)) / (steps + 1))));
    }
    if (run.error?.message.includes('NaN') && metrics.length > 0) {
      const last = metrics.filter((m) => m.key === 'loss').pop()!;
      last.value = NaN;
    }
    await api.tracking.append(data.dir, job.runUuid, { params: training.params, metrics });
  }
}
