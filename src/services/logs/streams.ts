import { FlintError, type Clock } from '../../core/index.js';
import type { LogStore, MetadataStore } from '../../storage/index.js';
import { STREAMS, streamKey } from './groups.js';
import { functionOf, instanceIdsOf, instanceStream } from './names.js';

export interface StreamView {
  name: string;
  creationTime: number;
  firstEventTimestamp?: number;
  lastEventTimestamp?: number;
  lastIngestionTime?: number;
}

/** Where a stream's events live: a function instance's records, or the events clients put. */
export type StreamSource = { kind: 'instance'; functionName: string; instanceId: string } | { kind: 'custom' };

interface StreamRecord {
  creationTime: number;
}

/** Stream names are worked out from an instance's first record; this many are remembered. */
const NAME_CACHE = 10_000;

/**
 * The log streams of a group. In a function's group each instance has one, named as Lambda names it (the day of its
 * first record, the version, the instance id: see runtime/env.ts) and made of its records; any group may also have
 * streams clients create, whose events they put.
 */
export class LogStreams {
  private readonly names = new Map<string, string>();

  constructor(
    private readonly metadata: MetadataStore,
    private readonly logs: LogStore,
    private readonly clock: Clock,
  ) {}

  /** Every stream of the group, by name. */
  async list(group: string): Promise<StreamView[]> {
    const views: StreamView[] = [];
    const fn = functionOf(group);
    if (fn !== undefined) {
      for (const instance of await this.logs.instances(fn)) {
        const name = instanceStream(instance.firstTime, instance.version, instance.instanceId);
        this.remember(fn, instance.instanceId, name);
        views.push({ name, creationTime: instance.firstTime, firstEventTimestamp: instance.firstTime, lastEventTimestamp: instance.lastTime, lastIngestionTime: instance.lastTime });
      }
    }
    const stats = new Map((await this.logs.eventStreams(group)).map((s) => [s.stream, s]));
    for (const doc of await this.metadata.list<StreamRecord>(STREAMS, { prefix: `${group}:` })) {
      const name = doc.key.slice(group.length + 1);
      const s = stats.get(name);
      views.push({ name, creationTime: doc.value.creationTime, ...(s && { firstEventTimestamp: s.firstTimestamp, lastEventTimestamp: s.lastTimestamp, lastIngestionTime: s.lastIngestionTime }) });
    }
    return views.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  async resolve(group: string, stream: string): Promise<StreamSource | undefined> {
    if (await this.metadata.get(STREAMS, streamKey(group, stream))) return { kind: 'custom' };
    const fn = functionOf(group);
    if (fn === undefined) return undefined;
    for (const instanceId of instanceIdsOf(stream)) {
      if ((await this.nameOf(fn, instanceId)) === stream) return { kind: 'instance', functionName: fn, instanceId };
    }
    return undefined;
  }

  /** False if the stream exists. */
  async create(group: string, stream: string): Promise<boolean> {
    if (await this.resolve(group, stream)) return false;
    try {
      await this.metadata.put<StreamRecord>(STREAMS, streamKey(group, stream), { creationTime: this.clock.now() }, { ifRevision: 0 });
      return true;
    } catch (error) {
      if (error instanceof FlintError && error.code === 'PRECONDITION_FAILED') return false;
      throw error;
    }
  }

  /** False if there was no such stream. An instance's stream goes with its records. */
  async delete(group: string, stream: string): Promise<boolean> {
    const source = await this.resolve(group, stream);
    if (!source) return false;
    if (source.kind === 'custom') {
      await this.logs.deleteEvents(group, stream);
      await this.metadata.delete(STREAMS, streamKey(group, stream));
    } else {
      await this.logs.deleteFunction(source.functionName, source.instanceId);
      this.names.delete(`${source.functionName}\u0000${source.instanceId}`);
    }
    return true;
  }

  /** The stream an instance's records belong to (undefined when it has none left). */
  async nameOf(functionName: string, instanceId: string): Promise<string | undefined> {
    const key = `${functionName}\u0000${instanceId}`;
    const known = this.names.get(key);
    if (known !== undefined) return known;
    const [first] = await this.logs.query({ functionName, instanceIds: [instanceId], limit: 1, newest: false });
    if (!first) return undefined;
    const name = instanceStream(first.time, first.version, instanceId);
    this.remember(functionName, instanceId, name);
    return name;
  }

  private remember(functionName: string, instanceId: string, name: string): void {
    if (this.names.size >= NAME_CACHE) this.names.clear();
    this.names.set(`${functionName}\u0000${instanceId}`, name);
  }
}
