import { createHash } from 'node:crypto';
import type { KeyValue, StoredMetric } from '../mlflow/trackingLog';
import { pick, seededRandom } from './random';

/**
 * What a demo run logs: its params and, step by step, loss, val_loss, accuracy and
 * learning_rate curves shaped like real training (fast early drop, plateau, a validation gap
 * that widens, a decaying learning rate, noise). Every value depends only on the run's name and
 * the step, so the seed and a progressing run draw the same curve.
 */
export interface DemoTraining {
  /** Steps a run that completes logs. */
  totalSteps: number;
  params: KeyValue[];
  /** The four points of one step, at `timestamp`. */
  pointsAt(step: number, timestamp: number): StoredMetric[];
}

export const demoMetricKeys = ['loss', 'val_loss', 'accuracy', 'learning_rate'] as const;

function seedOf(text: string): number {
  return createHash('sha256').update(text).digest().readUInt32LE(0);
}

/** Noise in [-1, 1) for one (run, key, step), independent of every other. */
function noise(runName: string, key: string, step: number): number {
  return seededRandom(seedOf(`${runName}/${key}/${step}`))() * 2 - 1;
}

export interface DemoTrainingInput {
  name: string;
  experimentName: string;
  /** The run's `learning_rate` input, when it has one. */
  learningRate?: string;
  /** The run's `epochs` input, when it has one. */
  epochs?: string;
  modelFamily?: string;
}

export function demoTraining(run: DemoTrainingInput): DemoTraining {
  const random = seededRandom(seedOf(run.name));
  const image = run.experimentName === 'image-classification';
  const learningRate = Number(run.learningRate ?? pick(random, ['0.001', '0.0003', '0.01']));
  const epochs = Number(run.epochs ?? 10);
  const totalSteps = image ? epochs * 30 : 200 + Math.floor(random() * 300);
  const finalLoss = (image ? 0.25 : 0.08) + random() * 0.12;
  const startLoss = (image ? 2.4 : 0.69) + random() * 0.2;
  const decay = totalSteps * (0.12 + random() * 0.1);
  const overfit = random() * 0.25;
  const finalAccuracy = image ? 0.84 + random() * 0.08 : 0.93 + random() * 0.05;
  const params: KeyValue[] = image
    ? [
      { key: 'learning_rate', value: String(learningRate) },
      { key: 'epochs', value: String(epochs) },
      { key: 'batch_size', value: pick(random, ['32', '64', '128']) },
      { key: 'optimizer', value: pick(random, ['adamw', 'sgd']) },
      { key: 'weight_decay', value: pick(random, ['0.0001', '0.001']) },
    ]
    : [
      { key: 'learning_rate', value: String(learningRate) },
      { key: 'max_depth', value: pick(random, ['4', '6', '8', '10']) },
      { key: 'n_estimators', value: String(totalSteps) },
      { key: 'subsample', value: pick(random, ['0.7', '0.8', '1.0']) },
      { key: 'model_family', value: run.modelFamily ?? 'lightgbm' },
    ];

  return {
    totalSteps,
    params,
    pointsAt(step, timestamp) {
      const progress = Math.exp(-step / decay);
      const loss = finalLoss + (startLoss - finalLoss) * progress + 0.02 * noise(run.name, 'loss', step) * (0.3 + progress);
      const gap = overfit * (step / totalSteps) ** 2 * finalLoss + 0.01;
      const valLoss = loss + gap + 0.025 * noise(run.name, 'val_loss', step);
      const accuracy = Math.min(0.999, finalAccuracy - (finalAccuracy - (image ? 0.08 : 0.5)) * progress + 0.006 * noise(run.name, 'accuracy', step));
      // Cosine decay after a short warm-up, as most training scripts schedule it.
      const warmup = Math.max(1, Math.floor(totalSteps * 0.05));
      const rate = step < warmup
        ? learningRate * (step + 1) / warmup
        : learningRate * 0.5 * (1 + Math.cos(Math.PI * (step - warmup) / Math.max(1, totalSteps - warmup)));
      const round = (v: number): number => Math.round(v * 1e6) / 1e6;
      return [
        { key: 'loss', value: round(loss), timestamp, step },
        { key: 'val_loss', value: round(valLoss), timestamp, step },
        { key: 'accuracy', value: round(accuracy), timestamp, step },
        { key: 'learning_rate', value: rate, timestamp, step },
      ];
    },
  };
}
