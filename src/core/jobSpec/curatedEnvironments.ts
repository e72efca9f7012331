/** A few of Azure ML's curated environments (the `azureml` registry), offered first when submitting. */
export interface CuratedEnvironment {
  label: string;
  description: string;
  environmentId: string;
}

const registryEnvironment = (name: string): string => `azureml://registries/azureml/environments/${name}/labels/latest`;

export const curatedEnvironments: readonly CuratedEnvironment[] = [
  { label: 'sklearn-1.5', description: 'scikit-learn 1.5, CPU', environmentId: registryEnvironment('sklearn-1.5') },
  { label: 'acpt-pytorch-2.2-cuda12.1', description: 'PyTorch 2.2, CUDA 12.1', environmentId: registryEnvironment('acpt-pytorch-2.2-cuda12.1') },
  { label: 'tensorflow-2.16-cuda12', description: 'TensorFlow 2.16, CUDA 12', environmentId: registryEnvironment('tensorflow-2.16-cuda12') },
  { label: 'lightgbm-3.3', description: 'LightGBM 3.3, CPU', environmentId: registryEnvironment('lightgbm-3.3') },
];

/** The environment a script runs in when nothing was picked before. */
export const defaultEnvironmentId = curatedEnvironments[0]!.environmentId;

/**
 * The environment id a run on the local workspace asks for: the local workspace runs every job
 * with this machine's Python (see src/local/jobRunner/jobEnvironment.ts) and installs nothing,
 * so this names what it actually uses. Any other id is recorded, with a warning that it is unused.
 */
export const localMachineEnvironmentId = 'local:this-machine-python';
