import type { Audit } from '../store/records';

export interface SystemData {
  createdAt: string;
  createdBy: string;
  createdByType: 'User';
  lastModifiedAt: string;
  lastModifiedBy: string;
  lastModifiedByType: 'User';
}

export interface ArmResource<P> {
  id: string;
  name: string;
  type: string;
  properties: P;
  systemData: SystemData;
}

export function systemDataOf(audit: Audit): SystemData {
  return {
    createdAt: audit.createdAt,
    createdBy: audit.createdBy,
    createdByType: 'User',
    lastModifiedAt: audit.lastModifiedAt,
    lastModifiedBy: audit.lastModifiedBy,
    lastModifiedByType: 'User',
  };
}

export function envelope<P>(id: string, name: string, type: string, properties: P, audit: Audit): ArmResource<P> {
  return { id, name, type, properties, systemData: systemDataOf(audit) };
}

export function newAudit(now: Date, user: string): Audit {
  const at = now.toISOString();
  return { createdAt: at, createdBy: user, lastModifiedAt: at, lastModifiedBy: user };
}

export function touchAudit(audit: Audit, now: Date, user: string): void {
  audit.lastModifiedAt = now.toISOString();
  audit.lastModifiedBy = user;
}
