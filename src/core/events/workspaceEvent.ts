import * as l10n from '@vscode/l10n';
import { stringMap } from '../../azure/mappers';

/**
 * Azure ML workspace events as Event Grid delivers them to a storage queue: the Event Grid
 * schema or CloudEvents 1.0, as JSON text or base64 of it.
 */
const eventTypePrefix = 'Microsoft.MachineLearningServices.';

export type RunEventType = 'RunCompleted' | 'RunStatusChanged';

interface EventBase {
  id: string;
  subject: string;
  time: string | undefined;
  /** The workspace that raised it: Event Grid's `topic`, CloudEvents' `source` (its resource id). */
  workspaceId: string | undefined;
}

export interface RunEvent extends EventBase {
  kind: 'run';
  type: RunEventType;
  experimentId: string;
  experimentName: string;
  runId: string;
  runType: string;
  runTags: Record<string, string>;
  runProperties: Record<string, string>;
  /** Only on RunStatusChanged. */
  runStatus: string | undefined;
}

export interface ModelEvent extends EventBase {
  kind: 'model';
  type: 'ModelRegistered';
  modelName: string;
  modelVersion: string;
  modelTags: Record<string, string>;
  modelProperties: Record<string, string>;
}

/** Events the extension does not act on (ModelDeployed, DatasetDriftDetected, newer types). */
export interface OtherEvent extends EventBase {
  kind: 'other';
  type: string;
}

export type WorkspaceEvent = RunEvent | ModelEvent | OtherEvent;

export class EventParseError extends Error {}

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

function decode(text: string): unknown {
  const trimmed = text.trim();
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) return JSON.parse(trimmed);
  if (/^[A-Za-z0-9+/=\s]+$/.test(trimmed)) {
    const decoded = Buffer.from(trimmed, 'base64').toString('utf8').trim();
    if (decoded.startsWith('{') || decoded.startsWith('[')) return JSON.parse(decoded);
  }
  throw new EventParseError(l10n.t('The message is neither JSON nor base64-encoded JSON.'));
}

function text(data: Json, field: string, required = true): string {
  const value = data[field];
  if (typeof value === 'string' && (value !== '' || !required)) return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (!required && value === undefined) return '';
  throw new EventParseError(l10n.t('The event has no "{0}".', field));
}

/** The one event in a message (Event Grid may batch into an array of one). */
function envelopeOf(decoded: unknown): Json {
  const single = Array.isArray(decoded) && decoded.length === 1 ? decoded[0] : decoded;
  if (!isObject(single)) throw new EventParseError(l10n.t('The message does not hold one event.'));
  return single;
}

/** Parses one queue message's text into a workspace event; throws EventParseError when it is not one. */
export function parseWorkspaceEvent(messageText: string): WorkspaceEvent {
  let decoded: unknown;
  try {
    decoded = decode(messageText);
  } catch (e) {
    if (e instanceof EventParseError) throw e;
    throw new EventParseError(l10n.t('The message is not valid JSON: {0}', (e as Error).message));
  }
  const envelope = envelopeOf(decoded);
  const cloudEvent = typeof envelope['specversion'] === 'string';
  const fullType = text(envelope, cloudEvent ? 'type' : 'eventType');
  const base: EventBase = {
    id: text(envelope, 'id'),
    subject: text(envelope, 'subject', false),
    time: typeof envelope[cloudEvent ? 'time' : 'eventTime'] === 'string' ? envelope[cloudEvent ? 'time' : 'eventTime'] as string : undefined,
    workspaceId: text(envelope, cloudEvent ? 'source' : 'topic', false) || undefined,
  };
  if (!fullType.startsWith(eventTypePrefix)) {
    throw new EventParseError(l10n.t('The event type "{0}" is not an Azure Machine Learning event.', fullType));
  }
  const type = fullType.slice(eventTypePrefix.length);
  const data = envelope['data'];
  if (type === 'RunCompleted' || type === 'RunStatusChanged') {
    if (!isObject(data)) throw new EventParseError(l10n.t('The event has no "{0}".', 'data'));
    return {
      ...base,
      kind: 'run',
      type,
      experimentId: text(data, 'experimentId', false),
      experimentName: text(data, 'experimentName', false),
      runId: text(data, 'runId'),
      runType: text(data, 'runType', false),
      runTags: stringMap(data['runTags']),
      runProperties: stringMap(data['runProperties']),
      runStatus: type === 'RunStatusChanged' ? text(data, 'runStatus') : undefined,
    };
  }
  if (type === 'ModelRegistered') {
    if (!isObject(data)) throw new EventParseError(l10n.t('The event has no "{0}".', 'data'));
    return {
      ...base,
      kind: 'model',
      type,
      modelName: text(data, 'ModelName'),
      modelVersion: text(data, 'ModelVersion'),
      modelTags: stringMap(data['ModelTags']),
      modelProperties: stringMap(data['ModelProperties']),
    };
  }
  return { ...base, kind: 'other', type };
}

export interface WorkspaceAddress {
  subscriptionId: string;
  resourceGroup: string;
  workspaceName: string;
}

const workspaceIdPattern = /^\/subscriptions\/([^/]+)\/resourceGroups\/([^/]+)\/providers\/Microsoft\.MachineLearningServices\/workspaces\/([^/]+)\/?$/i;

/**
 * Whether an event was raised by this workspace. Several workspaces' subscriptions may deliver to
 * one queue. An event that names no workspace, or names it in a form not known here, counts as
 * this workspace's: it is acted on as before rather than ignored.
 */
export function isEventOf(event: WorkspaceEvent, workspace: WorkspaceAddress): boolean {
  const match = event.workspaceId ? workspaceIdPattern.exec(event.workspaceId) : null;
  if (!match) return true;
  const [, subscriptionId, resourceGroup, workspaceName] = match;
  // Resource ids compare without regard to case, as Resource Manager treats them.
  const same = (a: string, b: string): boolean => a.toLowerCase() === b.toLowerCase();
  return same(subscriptionId!, workspace.subscriptionId) && same(resourceGroup!, workspace.resourceGroup) && same(workspaceName!, workspace.workspaceName);
}

/** An Event Grid-schema event as Azure ML publishes it (what the local workspace sends). */
export function eventGridEvent(options: { id: string; topic: string; subject: string; type: string; time: Date; data: Json }): Json {
  return {
    id: options.id,
    topic: options.topic,
    subject: options.subject,
    eventType: `${eventTypePrefix}${options.type}`,
    eventTime: options.time.toISOString(),
    data: options.data,
    dataVersion: '2',
    metadataVersion: '1',
  };
}
