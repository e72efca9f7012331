import type { IncomingMessage } from 'node:http';
import type { ContentStore } from './contentStore';
import type { RequestTarget } from './requestTarget';
import type { Responder } from './responder';
import type { SasRequirement } from './sas';
import type { ShareStore } from './shareStore';

export interface OperationContext {
  req: IncomingMessage;
  target: RequestTarget;
  respond: Responder;
  store: ShareStore;
  content: ContentStore;
  /** `http://host:port/<account>/`, as listings report it. */
  serviceEndpoint: string;
  /** Runs clean-up (e.g. removing replaced content) after the response; the service waits for it on close. */
  inBackground(task: () => Promise<unknown>): void;
}

export interface Operation {
  /** The REST operation's name, for messages. */
  name: string;
  sas: SasRequirement;
  run(context: OperationContext): Promise<void>;
}

export function operation(name: string, resourceType: SasRequirement['resourceType'], anyOf: string, run: Operation['run']): Operation {
  return { name, sas: { resourceType, anyOf }, run };
}

/** The share a share/directory/file request addresses (the router only sends those here). */
export function shareNameOf(context: OperationContext): string {
  return context.target.shareName!;
}
