import { createHash } from 'node:crypto';
import type { AppSpec } from '../manifest/index.js';
import type { DeployedApi, DeployedWebSocketApi } from '../services/apigateway/index.js';
import type { MetadataStore } from '../storage/index.js';

const APPS = 'apps';

/** What a deploy leaves behind for an app: enough to serve its APIs and to remove it later. */
export interface AppRecord {
  name: string;
  functions: string[];
  apis: DeployedApi[];
  /** WebSocket APIs (absent in records written before they existed). */
  websockets?: DeployedWebSocketApi[];
  schedules: AppSpec['schedules'];
  /** Buckets the app declares: its notification rules there are removed with it. */
  buckets?: string[];
  /** SNS→SQS subscriptions its topics' `subscriptions` made: removed when no longer declared. */
  subscriptions?: string[];
  /** The app as deployed, for `flint export sam --app`; absent in records written before it was kept. */
  spec?: AppSpec;
  deployedAt: number;
}

/** A stable 10-character API id, like AWS's, derived from app and API name so URLs survive redeploys. */
export function apiId(app: string, api: string): string {
  const digest = createHash('sha256').update(`${app}\u0000${api}`).digest();
  let id = '';
  for (let i = 0; id.length < 10; i++) id += (digest[i]! % 36).toString(36);
  return id;
}

export class AppRecords {
  constructor(private readonly metadata: MetadataStore) {}

  async list(): Promise<AppRecord[]> {
    return (await this.metadata.list<AppRecord>(APPS)).map((doc) => doc.value);
  }

  async get(name: string): Promise<AppRecord | undefined> {
    return (await this.metadata.get<AppRecord>(APPS, name))?.value;
  }

  async put(record: AppRecord): Promise<void> {
    await this.metadata.put(APPS, record.name, record);
  }

  async delete(name: string): Promise<boolean> {
    return this.metadata.delete(APPS, name);
  }
}
