import type { MetadataStore } from '../../storage/index.js';
import { DEFAULT_BUS } from './arns.js';
import { busNotFound, eventsError, ruleNotFound } from './errors.js';
import type { BusRecord, RuleRecord } from './records.js';

/** Buses and rules in the metadata store. Rule keys are `<bus>|<name>` ("|" is in neither name's pattern). */
const BUSES = 'events-buses';
const RULES = 'events-rules';

export function ruleKey(bus: string, name: string): string {
  return `${bus}|${name}`;
}

/** Rules kept outside this store (Flint's own schedules), shown on the default bus and read-only here. */
export type ManagedRules = () => Promise<RuleRecord[]>;

export class EventsState {
  private managed: ManagedRules = async () => [];

  constructor(private readonly metadata: MetadataStore) {}

  useManagedRules(source: ManagedRules): void {
    this.managed = source;
  }

  async bus(name: string): Promise<BusRecord | undefined> {
    return (await this.metadata.get<BusRecord>(BUSES, name))?.value;
  }

  async requireBus(name: string): Promise<BusRecord> {
    const bus = await this.bus(name);
    if (!bus) throw busNotFound(name);
    return bus;
  }

  async buses(): Promise<BusRecord[]> {
    return (await this.metadata.list<BusRecord>(BUSES)).map((doc) => doc.value);
  }

  async putBus(bus: BusRecord, create = false): Promise<void> {
    await this.metadata.put(BUSES, bus.name, bus, create ? { ifRevision: 0 } : {});
  }

  async deleteBus(name: string): Promise<void> {
    for (const rule of await this.rules(name)) await this.metadata.delete(RULES, ruleKey(name, rule.name));
    await this.metadata.delete(BUSES, name);
  }

  async rule(bus: string, name: string): Promise<RuleRecord | undefined> {
    return (await this.metadata.get<RuleRecord>(RULES, ruleKey(bus, name)))?.value ?? (await this.managedRule(bus, name));
  }

  /** A rule of an existing bus, or EventBridge's "does not exist" for whichever is missing. */
  async requireRule(bus: string, name: string): Promise<RuleRecord> {
    const rule = await this.rule(bus, name);
    if (rule) return rule;
    if (bus !== DEFAULT_BUS) await this.requireBus(bus);
    throw ruleNotFound(name, bus);
  }

  /** A bus's rules in name order, Flint's own among them on the default bus. */
  async rules(bus: string): Promise<RuleRecord[]> {
    const stored = (await this.metadata.list<RuleRecord>(RULES, { prefix: `${bus}|` })).map((doc) => doc.value);
    if (bus !== DEFAULT_BUS) return stored;
    const managed = await this.managed();
    return managed.length === 0 ? stored : [...stored, ...managed].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  /** The rules this store keeps (Flint's own schedules fire elsewhere). */
  async allRules(): Promise<RuleRecord[]> {
    return (await this.metadata.list<RuleRecord>(RULES)).map((doc) => doc.value);
  }

  async putRule(rule: RuleRecord): Promise<void> {
    await this.refuseManaged(rule.bus, rule.name);
    await this.metadata.put(RULES, ruleKey(rule.bus, rule.name), rule);
  }

  async deleteRule(bus: string, name: string): Promise<boolean> {
    await this.refuseManaged(bus, name);
    return this.metadata.delete(RULES, ruleKey(bus, name));
  }

  private async managedRule(bus: string, name: string): Promise<RuleRecord | undefined> {
    return bus === DEFAULT_BUS ? (await this.managed()).find((rule) => rule.name === name) : undefined;
  }

  /** Flint's own rules change with the manifest that declares them, not through the API. */
  private async refuseManaged(bus: string, name: string): Promise<void> {
    const managed = await this.managedRule(bus, name);
    if (managed) throw eventsError('ManagedRuleException', `Rule ${name} is managed by ${managed.managedBy ?? 'Flint'} and cannot be changed through the API; change the schedule in flint.yaml.`);
  }
}
