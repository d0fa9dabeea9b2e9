import type { Clock } from '../../core/index.js';
import { updateDocument, type MetadataStore } from '../../storage/index.js';
import type { ParameterRecord, SecretReferences } from './types.js';

/** Parameters as documents of the metadata store, keyed by name ("/app/db/url" and "plain" alike). */
const PARAMETERS = 'ssm-parameters';
/** What flint.yaml last declared of a parameter, so a deploy writes a version only when the declaration changed. */
const DECLARED = 'ssm-declared';

export class ParameterState {
  constructor(private readonly metadata: MetadataStore) {}

  async get(name: string): Promise<ParameterRecord | undefined> {
    return (await this.metadata.get<ParameterRecord>(PARAMETERS, name))?.value;
  }

  /** Every parameter, in name order (optionally those whose names start with `prefix`). */
  async list(prefix?: string): Promise<ParameterRecord[]> {
    return (await this.metadata.list<ParameterRecord>(PARAMETERS, { prefix })).map((doc) => doc.value);
  }

  /** Reads, changes and writes one parameter without losing a concurrent version; `change` gets undefined for a new one. */
  update(name: string, change: (current: ParameterRecord | undefined) => ParameterRecord): Promise<ParameterRecord> {
    return updateDocument(this.metadata, PARAMETERS, name, change);
  }

  async declared(name: string): Promise<string | undefined> {
    return (await this.metadata.get<string>(DECLARED, name))?.value;
  }

  async recordDeclared(name: string, declaration: string): Promise<void> {
    await this.metadata.put(DECLARED, name, declaration);
  }

  delete(name: string): Promise<boolean> {
    return this.metadata.delete(PARAMETERS, name);
  }
}

/** What every Parameter Store operation works with. */
export interface SsmContext {
  region: string;
  accountId: string;
  clock: Clock;
  state: ParameterState;
  /** Secrets Manager, for `/aws/reference/secretsmanager/` names. */
  secrets?: SecretReferences;
}
