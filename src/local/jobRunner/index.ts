export { startJobRunner, type JobRunner, type JobRunnerOptions } from './jobRunner';
export { restDatastoreResolver, type DatastoreResolver } from './datastoreResolver';
