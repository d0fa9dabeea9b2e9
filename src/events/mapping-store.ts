/** Event source mappings and stream positions in the metadata store. */
import type { MetadataStore } from '../storage/index.js';
import type { MappingRecord } from './mapping-types.js';

const MAPPINGS = 'event_source_mappings';
const POSITIONS = 'event_source_positions';

export const NO_RECORDS = 'No records processed';

/** Where a stream mapping has got to: every record up to `after` is done with. */
export interface StreamPosition {
  after: number;
  lastProcessingResult: string;
}

export class MappingStore {
  constructor(private readonly metadata: MetadataStore) {}

  async get(uuid: string): Promise<MappingRecord | undefined> {
    return (await this.metadata.get<MappingRecord>(MAPPINGS, uuid))?.value;
  }

  /** Every mapping, in UUID order. */
  async all(): Promise<MappingRecord[]> {
    return (await this.metadata.list<MappingRecord>(MAPPINGS)).map((d) => d.value);
  }

  async put(record: MappingRecord): Promise<void> {
    await this.metadata.put(MAPPINGS, record.uuid, record);
  }

  async delete(uuid: string): Promise<void> {
    await this.metadata.delete(MAPPINGS, uuid);
    await this.metadata.delete(POSITIONS, uuid);
  }

  async position(uuid: string): Promise<StreamPosition | undefined> {
    return (await this.metadata.get<StreamPosition>(POSITIONS, uuid))?.value;
  }

  async savePosition(uuid: string, position: StreamPosition): Promise<void> {
    await this.metadata.put(POSITIONS, uuid, position);
  }
}
