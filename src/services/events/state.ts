import type { MetadataStore } from '../../storage/index.js';
import { DEFAULT_BUS } from './arns.js';
import { busNotFound, ruleNotFound } from './errors.js';
import type { BusRecord, RuleRecord } from './records.js';

/** Buses and rules in the metadata store. Rule keys are `<bus>|<name>` ("|" is in neither name's pattern). */
const BUSES = 'events-buses';
const RULES = 'events-rules';

export function ruleKey(bus: string, name: string): string {
  return `${bus}|${name}`;
}

export class EventsState {
  constructor(private readonly metadata: MetadataStore) {}

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
    return (await this.metadata.get<RuleRecord>(RULES, ruleKey(bus, name)))?.value;
  }

  /** A rule of an existing bus, or EventBridge's "does not exist" for whichever is missing. */
  async requireRule(bus: string, name: string): Promise<RuleRecord> {
    const rule = await this.rule(bus, name);
    if (rule) return rule;
    if (bus !== DEFAULT_BUS) await this.requireBus(bus);
    throw ruleNotFound(name, bus);
  }

  /** A bus's rules in name order. */
  async rules(bus: string): Promise<RuleRecord[]> {
    return (await this.metadata.list<RuleRecord>(RULES, { prefix: `${bus}|` })).map((doc) => doc.value);
  }

  async allRules(): Promise<RuleRecord[]> {
    return (await this.metadata.list<RuleRecord>(RULES)).map((doc) => doc.value);
  }

  async putRule(rule: RuleRecord): Promise<void> {
    await this.metadata.put(RULES, ruleKey(rule.bus, rule.name), rule);
  }

  async deleteRule(bus: string, name: string): Promise<boolean> {
    return this.metadata.delete(RULES, ruleKey(bus, name));
  }
}
