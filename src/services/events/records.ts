import type { Tag, Target } from './api.js';

/** An event bus as stored. The default bus is created when the service first starts. */
export interface BusRecord {
  name: string;
  description?: string;
  /** Epoch ms. */
  createdAt: number;
  modifiedAt: number;
  tags: Tag[];
}

/** A rule as stored, with its targets (at most five, so they travel with the rule). */
export interface RuleRecord {
  name: string;
  bus: string;
  eventPattern?: string;
  scheduleExpression?: string;
  state: 'ENABLED' | 'DISABLED';
  description?: string;
  roleArn?: string;
  /** Epoch ms; a rate schedule counts its periods from here. */
  createdAt: number;
  tags: Tag[];
  targets: Target[];
  /** Set on rules Flint keeps itself (flint.yaml schedules): shown by the API, changed only through the manifest. */
  managedBy?: string;
}
