/** Job statuses of the Azure ML REST API (identical in every api-version). */
export const jobStatuses = [
  'NotStarted', 'Starting', 'Provisioning', 'Preparing', 'Queued', 'Running', 'Finalizing',
  'CancelRequested', 'Completed', 'Failed', 'Canceled', 'NotResponding', 'Paused', 'Unknown',
] as const;
export type JobStatus = (typeof jobStatuses)[number];

/** Statuses after which a job never changes again (azure-ai-ml's terminal bucket). */
export const terminalJobStatuses: readonly JobStatus[] = ['Completed', 'Failed', 'Canceled', 'NotResponding', 'Paused'];

export function isTerminal(status: JobStatus): boolean {
  return terminalJobStatuses.includes(status);
}

export function isJobStatus(value: string): value is JobStatus {
  return (jobStatuses as readonly string[]).includes(value);
}
