/** CloudFormation logical ids for an app's names: alphanumeric, PascalCase, a suffix per kind, never two alike. */
import type { AppSpec } from '../../manifest/index.js';

type Kind = 'Function' | 'Table' | 'Bucket' | 'Queue' | 'Topic' | 'HttpApi' | 'Layer' | 'Bus' | 'Subscription' | 'QueuePolicy' | 'Parameter' | 'Secret';

/** "raw-images" → "RawImages"; "user_events.v2" → "UserEventsV2". */
function pascal(name: string): string {
  const words = name.split(/[^A-Za-z0-9]+/).filter(Boolean);
  const joined = words.map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join('');
  return /^[A-Za-z]/.test(joined) ? joined : `R${joined}`;
}

export class LogicalIds {
  private readonly byKey = new Map<string, string>();
  private readonly taken = new Set<string>();

  constructor(spec: AppSpec) {
    // Assigned in one fixed order, so the same app always gets the same ids.
    for (const t of spec.resources.tables) this.id('Table', t.name);
    for (const b of spec.resources.buckets) this.id('Bucket', b.name);
    for (const q of spec.resources.queues) this.id('Queue', q.name);
    for (const t of spec.resources.topics) this.id('Topic', t.name);
    for (const a of spec.apis) this.id('HttpApi', a.name);
    for (const f of spec.functions) this.id('Function', f.name);
    for (const l of spec.layers ?? []) this.id('Layer', l.name);
    for (const b of spec.resources.buses ?? []) this.id('Bus', b.name);
    for (const p of spec.resources.parameters ?? []) this.id('Parameter', p.name);
    for (const s of spec.resources.secrets ?? []) this.id('Secret', s.name);
  }

  fn = (name: string): string => this.id('Function', name);
  table = (name: string): string => this.id('Table', name);
  bucket = (name: string): string => this.id('Bucket', name);
  queue = (name: string): string => this.id('Queue', name);
  topic = (name: string): string => this.id('Topic', name);
  api = (name: string): string => this.id('HttpApi', name);
  layer = (name: string): string => this.id('Layer', name);
  bus = (name: string): string => this.id('Bus', name);
  parameter = (name: string): string => this.id('Parameter', name);
  secret = (name: string): string => this.id('Secret', name);
  /** One per topic and queue: `<topic>-<queue>`. */
  subscription = (name: string): string => this.id('Subscription', name);
  queuePolicy = (queue: string): string => this.id('QueuePolicy', queue);

  private id(kind: Kind, name: string): string {
    const key = `${kind}\u0000${name}`;
    const known = this.byKey.get(key);
    if (known) return known;
    const base = `${pascal(name)}${kind}`;
    let id = base;
    for (let n = 2; this.taken.has(id); n++) id = `${base}${n}`;
    this.taken.add(id);
    this.byKey.set(key, id);
    return id;
  }
}
