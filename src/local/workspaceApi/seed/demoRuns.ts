import type { JobError } from '../store/records';
import type { JobStatus } from '../jobs/jobStatus';
import { jobName, pick, seededRandom } from './random';

/** One seeded run, before it becomes a job record. */
export interface DemoRun {
  name: string;
  experimentName: string;
  displayName: string;
  description: string;
  status: JobStatus;
  createdAt: Date;
  startTime?: Date;
  endTime?: Date;
  createdBy: string;
  command: string;
  environmentId: string;
  inputs: Record<string, Record<string, string>>;
  outputs: Record<string, Record<string, string>>;
  tags: Record<string, string>;
  error?: JobError;
}

const minute = 60_000;
const day = 24 * 60 * minute;
const people = ['Priya Raman', 'Marco Rossi', 'Aiko Tanaka', 'Samuel Okafor'];

const fraudErrors: JobError[] = [
  {
    code: 'UserError',
    message: "Execution failed. User process 'python' exited with status code 1. Please check log file 'user_logs/std_log.txt' for error details. Error: ValueError: Input contains NaN, infinity or a value too large for dtype('float32').",
    details: 'Traceback (most recent call last):\n  File "train.py", line 88, in <module>\n    model.fit(X_train, y_train)\nValueError: Input contains NaN, infinity or a value too large for dtype(\'float32\').',
  },
  {
    code: 'UserError',
    message: "Execution failed. User process 'python' exited with status code 1. Please check log file 'user_logs/std_log.txt' for error details. Error: KeyError: 'merchant_category'",
    details: 'Traceback (most recent call last):\n  File "features.py", line 41, in build_features\n    df["merchant_category"].astype("category")\nKeyError: \'merchant_category\'',
  },
  {
    code: 'SystemError',
    message: 'The job process was stopped after running out of memory while loading transactions-2024q4 (peak 15.8 GiB).',
  },
];

const fraudConfigs = [
  { family: 'lightgbm', display: (r: () => number) => `lgbm-lr${pick(r, ['0.01', '0.03', '0.05', '0.1'])}-leaves${pick(r, ['31', '63', '127'])}` },
  { family: 'xgboost', display: (r: () => number) => `xgb-depth${pick(r, ['4', '6', '8'])}-eta${pick(r, ['0.05', '0.1', '0.3'])}` },
  { family: 'logistic_regression', display: (r: () => number) => `logreg-C${pick(r, ['0.1', '1.0', '10'])}-baseline` },
  { family: 'catboost', display: (r: () => number) => `catboost-depth${pick(r, ['6', '8', '10'])}-balanced` },
];

function timed(now: Date, createdAt: Date, random: () => number, status: JobStatus, minMinutes: number, maxMinutes: number): Pick<DemoRun, 'startTime' | 'endTime'> {
  if (status === 'Queued' || status === 'NotStarted') return {};
  const startTime = new Date(createdAt.getTime() + (1 + random() * 3) * minute);
  if (status === 'Running') return { startTime };
  const duration = (minMinutes + random() * (maxMinutes - minMinutes)) * minute;
  return { startTime, endTime: new Date(Math.min(startTime.getTime() + duration, now.getTime() - minute)) };
}

/** 64 runs of `fraud-detection` over the past five weeks, newest ones Running and Queued. */
export function fraudDetectionRuns(now: Date): DemoRun[] {
  const random = seededRandom(20240611);
  const count = 64;
  const span = 35 * day;
  const runs: DemoRun[] = [];
  for (let i = 0; i < count; i++) {
    const name = jobName(random);
    const config = pick(random, fraudConfigs);
    const learningRate = pick(random, ['0.01', '0.03', '0.05', '0.1']);
    let status: JobStatus = 'Completed';
    if (i === count - 1) status = 'Queued';
    else if (i === count - 2) status = 'Running';
    else if (i % 7 === 3) status = 'Failed';
    else if (i % 11 === 5) status = 'Canceled';
    const createdAt = i >= count - 2
      ? new Date(now.getTime() - (i === count - 1 ? 3 : 14) * minute)
      : new Date(now.getTime() - span + (i / count) * span + random() * 4 * 60 * minute);
    const run: DemoRun = {
      name,
      experimentName: 'fraud-detection',
      displayName: config.display(random),
      description: `Train a ${config.family.replace('_', ' ')} fraud classifier on card transactions.`,
      status,
      createdAt,
      ...timed(now, createdAt, random, status, status === 'Failed' ? 1 : 6, status === 'Failed' ? 12 : 45),
      createdBy: pick(random, people),
      command: 'python train.py --data ${{inputs.training_data}} --learning-rate ${{inputs.learning_rate}} --model-dir ${{outputs.model}}',
      environmentId: 'azureml://registries/azureml/environments/sklearn-1.5/labels/latest',
      inputs: {
        training_data: { jobInputType: 'uri_folder', mode: 'ReadOnlyMount', uri: 'azureml://datastores/workspaceblobstore/paths/fraud/transactions/2024-q4/' },
        learning_rate: { jobInputType: 'literal', value: learningRate },
      },
      outputs: { model: { jobOutputType: 'mlflow_model', mode: 'ReadWriteMount' } },
      tags: { model_family: config.family, dataset: 'transactions-2024q4', team: 'risk-ml' },
    };
    if (status === 'Failed') run.error = fraudErrors[i % fraudErrors.length]!;
    runs.push(run);
  }
  return runs;
}

/** A handful of `image-classification` fine-tuning runs. */
export function imageClassificationRuns(now: Date): DemoRun[] {
  const random = seededRandom(20240902);
  const statuses: JobStatus[] = ['Completed', 'Failed', 'Completed', 'Canceled', 'Completed', 'Completed'];
  return statuses.map((status, i) => {
    const createdAt = new Date(now.getTime() - (20 - i * 3) * day + random() * 6 * 60 * minute);
    const epochs = pick(random, ['5', '10', '20']);
    const run: DemoRun = {
      name: jobName(random),
      experimentName: 'image-classification',
      displayName: `resnet50-finetune-${epochs}ep${i === 5 ? '-augmix' : ''}`,
      description: 'Fine-tune ResNet-50 on the product photo catalogue (12 classes).',
      status,
      createdAt,
      ...timed(now, createdAt, random, status, 40, 180),
      createdBy: pick(random, people),
      command: 'python finetune.py --images ${{inputs.images}} --epochs ${{inputs.epochs}} --output ${{outputs.model}}',
      environmentId: 'azureml://registries/azureml/environments/acpt-pytorch-2.2-cuda12.1/labels/latest',
      inputs: {
        images: { jobInputType: 'uri_folder', mode: 'Download', uri: 'azureml://datastores/workspaceblobstore/paths/catalogue/images/' },
        epochs: { jobInputType: 'literal', value: epochs },
      },
      outputs: { model: { jobOutputType: 'custom_model', mode: 'Upload' } },
      tags: { architecture: 'resnet50', classes: '12' },
    };
    if (status === 'Failed') {
      run.error = {
        code: 'UserError',
        message: "Execution failed. User process 'python' exited with status code 1. Error: RuntimeError: CUDA error: no CUDA-capable device is detected",
      };
    }
    return run;
  });
}
