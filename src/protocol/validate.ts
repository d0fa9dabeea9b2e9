import type { Member, Shape, ServiceModel } from './model.js';

/**
 * The constraint check AWS's request validator (coral) runs after deserialisation: required members, string and
 * list lengths, numeric ranges, patterns and enums, from the model. Violations are collected in member order and
 * reported together, as AWS words them:
 *
 *   1 validation error detected: Value 'x' at 'functionName' failed to satisfy constraint: Member must have length
 *   less than or equal to 64
 *
 * Paths name members in lower camel case, list elements as `name.N.member` (from 1) and map values as
 * `name.key.member`; a list whose elements fail reports the element constraints together ("Member must satisfy
 * constraint: [...]"), as recorded from AWS (LocalStack's Lambda snapshots), and so does a map whose keys or values
 * fail ("Map keys must satisfy constraint: [...]", "Map value must satisfy constraint: [...]", the map shown as Java
 * prints it, doubles as 2.0: LocalStack's Lambda alias snapshots and Flint's DynamoDB BatchWriteItem test). Opaque
 * shapes are left to the service.
 */

export type ConstraintKind = 'pattern' | 'maxLength' | 'minLength' | 'enum' | 'minValue' | 'maxValue';

export interface ValidationStyle {
  /** The order in which one member's violations are reported. */
  order?: readonly ConstraintKind[];
  /** At most this many violations are reported (AWS: 10). */
  maxReported?: number;
  /** Enum values as the service's messages list them, by shape, where that differs from the model's order. */
  enumOrder?: Readonly<Record<string, readonly string[]>>;
}

/**
 * A member the service checks its own way, in its place among the others: it reports violations worded as the
 * service words them, may throw the service's own error instead, and runs the model's check of the member by
 * calling `model` (or leaves it out).
 */
export type MemberCheck = (value: unknown, violations: ConstraintViolations, model: () => void) => void;

/** What an operation declares where the model cannot say it. */
export interface ValidationQuirks {
  /** Top-level members in the order the service checks them (the rest follow in model order). */
  memberOrder?: readonly string[];
  /** Members (by path as reported) whose value the message leaves out: "Value at 'limit' failed to ...". */
  hiddenValues?: readonly string[];
  /** Path names that differ from lower camel case, by top-level member name. */
  paths?: Readonly<Record<string, string>>;
  /** Members the service checks itself, with its own wording (skipped here). */
  skip?: readonly string[];
  /** Top-level members checked by the service's own function, in their place (see MemberCheck). */
  checks?: Readonly<Record<string, MemberCheck>>;
}

const DEFAULT_ORDER: readonly ConstraintKind[] = ['pattern', 'maxLength', 'minLength', 'enum', 'minValue', 'maxValue'];

export class ConstraintViolations {
  readonly messages: string[] = [];

  constructor(private readonly max: number) {}

  /** `shown`: the value as Java prints it, where the shape says more than the JSON value (a double's "2.0"). */
  add(value: unknown, path: string, constraint: string, hidden = false, shown?: string): void {
    if (this.messages.length >= this.max) return;
    this.messages.push(`Value${hidden ? '' : ` ${shown ?? renderValue(value)}`} at '${path}' failed to satisfy constraint: ${constraint}`);
  }

  /** The message AWS sends, or undefined when nothing failed. */
  summary(): string | undefined {
    const count = this.messages.length;
    if (count === 0) return undefined;
    return `${count} validation error${count > 1 ? 's' : ''} detected: ${this.messages.join('; ')}`;
  }
}

/** Java's toString of the value, as AWS's messages show it. */
export function renderValue(value: unknown): string {
  if (value === undefined || value === null) return 'null';
  return `'${javaString(value)}'`;
}

function javaString(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) return `[${value.map(javaString).join(', ')}]`;
  if (value instanceof Date) return value.toISOString();
  if (value instanceof Uint8Array) return `java.nio.HeapByteBuffer[pos=0 lim=${value.length} cap=${value.length}]`;
  if (typeof value === 'object') return `{${Object.entries(value).map(([k, v]) => `${k}=${javaString(v)}`).join(', ')}}`;
  return String(value);
}

export function lowerCamel(name: string): string {
  return name.length === 0 ? name : name[0]!.toLowerCase() + name.slice(1);
}

/** Compiled model patterns (Java regular expressions, matched whole), shared by every request. */
export class PatternCache {
  private readonly cache = new Map<string, RegExp | null>();

  test(pattern: string, value: string): boolean {
    let compiled = this.cache.get(pattern);
    if (compiled === undefined) {
      compiled = compile(pattern);
      this.cache.set(pattern, compiled);
    }
    // A pattern JavaScript cannot express is not enforced rather than enforced wrongly.
    return compiled === null || compiled.test(value);
  }
}

function compile(pattern: string): RegExp | null {
  for (const flags of ['u', '']) {
    try {
      return new RegExp(`^(?:${pattern})$`, flags);
    } catch {
      // try without the unicode flag, then give up
    }
  }
  return null;
}

export class Validator {
  private readonly order: readonly ConstraintKind[];
  private readonly max: number;
  private readonly enums: ReadonlyMap<Shape, readonly string[]>;
  /** Member orders the operations declare, sorted once: by the (constant) order list, then by shape. */
  private readonly orders = new WeakMap<readonly string[], Map<string, Member[]>>();
  private readonly sets = new WeakMap<readonly string[], ReadonlySet<string>>();
  private readonly kinds = new Map<Shape, readonly ConstraintKind[]>();
  private readonly camels = new WeakMap<Member, string>();
  private readonly plans = new WeakMap<ValidationQuirks, Map<string, readonly PlannedMember[]>>();

  constructor(
    private readonly model: ServiceModel,
    private readonly patterns: PatternCache,
    private readonly opaque: ReadonlySet<string>,
    style: ValidationStyle = {},
  ) {
    this.order = style.order ?? DEFAULT_ORDER;
    this.max = style.maxReported ?? 10;
    this.enums = new Map(Object.entries(style.enumOrder ?? {}).map(([name, values]) => [model.shape(name), values]));
  }

  /** A member's name in paths, lower camel case, worked out once per member. */
  private camel(member: Member): string {
    let name = this.camels.get(member);
    if (name === undefined) {
      name = lowerCamel(member.name);
      this.camels.set(member, name);
    }
    return name;
  }

  /** A quirk's name list as a set, built once per list. */
  private setOf(names: readonly string[] | undefined): ReadonlySet<string> {
    if (!names) return NO_NAMES;
    let set = this.sets.get(names);
    if (!set) {
      set = new Set(names);
      this.sets.set(names, set);
    }
    return set;
  }

  /** A structure's members in the order an operation declares (the rest in model order); sorted once per order. */
  private ordered(shapeName: string, order: readonly string[] | undefined): Member[] {
    const members = this.model.members(shapeName);
    if (!order) return members;
    let byShape = this.orders.get(order);
    if (!byShape) {
      byShape = new Map();
      this.orders.set(order, byShape);
    }
    let sorted = byShape.get(shapeName);
    if (!sorted) {
      const rank = new Map(order.map((name, i) => [name, i]));
      sorted = [...members].sort((a, b) => (rank.get(a.name) ?? order.length) - (rank.get(b.name) ?? order.length));
      byShape.set(shapeName, sorted);
    }
    return sorted;
  }

  /** Checks an operation's input; returns AWS's message, or undefined when the input satisfies the model. */
  check(shapeName: string, input: Record<string, unknown>, quirks: ValidationQuirks = NO_QUIRKS): string | undefined {
    const violations = new ConstraintViolations(this.max);
    const hidden = this.setOf(quirks.hiddenValues);
    const planned = this.plan(shapeName, quirks);
    // An indexed loop and the own check's callback built in a function of its own: a closure here would capture
    // the loop's bindings and allocate a context on every member of every request.
    for (let i = 0; i < planned.length; i++) {
      const { member, path, own } = planned[i]!;
      const value = input[member.name];
      if (own) this.ownCheck(own, member, value, path, violations, hidden);
      else this.member(member, value, path, violations, hidden);
    }
    return violations.summary();
  }

  /** Runs a service's own check of a member, handing it the model's check of the member to call when it wants. */
  private ownCheck(own: MemberCheck, member: Member, value: unknown, path: string, violations: ConstraintViolations, hidden: ReadonlySet<string>): void {
    own(value, violations, () => this.member(member, value, path, violations, hidden));
  }

  /** An operation's top-level members as checked: order, paths, skips and own checks resolved once per quirks. */
  private plan(shapeName: string, quirks: ValidationQuirks): readonly PlannedMember[] {
    let byShape = this.plans.get(quirks);
    if (!byShape) {
      byShape = new Map();
      this.plans.set(quirks, byShape);
    }
    let planned = byShape.get(shapeName);
    if (!planned) {
      const skip = this.setOf(quirks.skip);
      planned = this.ordered(shapeName, quirks.memberOrder)
        .filter((member) => !skip.has(member.name))
        .map((member) => ({ member, path: quirks.paths?.[member.name] ?? this.camel(member), own: quirks.checks?.[member.name] }));
      byShape.set(shapeName, planned);
    }
    return planned;
  }

  private member(member: Member, value: unknown, path: string, violations: ConstraintViolations, hidden: ReadonlySet<string>): void {
    if (value === undefined || value === null) {
      if (member.required) violations.add(value, path, 'Member must not be null');
      return;
    }
    this.value(member.shapeName, member.shape, value, path, violations, hidden.has(path) || Boolean(member.shape.sensitive), hidden);
  }

  private value(shapeName: string, shape: Shape, value: unknown, path: string, violations: ConstraintViolations, hide: boolean, hidden: ReadonlySet<string>): void {
    if (this.opaque.has(shapeName)) return;
    if (this.fails(shape, value)) for (const message of this.own(shape, value)) violations.add(value, path, message, hide);
    this.inner(shapeName, shape, value, path, violations, hidden, hide);
  }

  /** The members, elements or entries of an aggregate value. */
  private inner(shapeName: string, shape: Shape, value: unknown, path: string, violations: ConstraintViolations, hidden: ReadonlySet<string>, hide = false): void {
    switch (shape.type) {
      case 'structure':
        for (const member of this.model.members(shapeName)) {
          const inner = `${path}.${this.camel(member)}`;
          this.member(member, (value as Record<string, unknown>)[member.name], inner, violations, hidden);
        }
        return;
      case 'list':
        return this.list(shape, value as unknown[], path, violations, hidden);
      case 'map':
        return this.map(shape, value as Record<string, unknown>, path, violations, hidden, hide);
      default:
        return;
    }
  }

  private list(shape: Shape, items: unknown[], path: string, violations: ConstraintViolations, hidden: ReadonlySet<string>): void {
    const elementName = shape.member!.shape;
    const element = this.model.shape(elementName);
    if (isComposite(element)) {
      items.forEach((item, i) => {
        const inner = `${path}.${i + 1}.member`;
        if (item === undefined || item === null) violations.add(item, inner, 'Member must not be null');
        else this.value(elementName, element, item, inner, violations, false, hidden);
      });
      return;
    }
    // Scalar elements: one violation for the list, naming every constraint of its elements.
    if (items.some((item) => item === undefined || item === null || this.fails(element, item))) {
      violations.add(items, path, `Member must satisfy constraint: [${[...this.describe(element), 'Member must not be null'].join(', ')}]`);
    }
  }

  /** Keys, then values, each reported once for the whole map with their constraints; then what values hold. */
  private map(shape: Shape, entries: Record<string, unknown>, path: string, violations: ConstraintViolations, hidden: ReadonlySet<string>, hide: boolean): void {
    const key = this.model.shape(shape.key!.shape);
    const valueName = shape.value!.shape;
    const valueShape = this.model.shape(valueName);
    if (this.anyKeyFails(key, entries)) {
      violations.add(entries, path, `Map keys must satisfy constraint: [${this.describe(key).join(', ')}]`, hide, shownMap(valueShape, entries));
    }
    // Opaque values (DynamoDB's attribute values) are the service's to check: nothing more to walk.
    if (this.opaque.has(valueName)) return;
    const scalar = !isComposite(valueShape);
    if (this.anyValueFails(valueShape, scalar, entries)) {
      // A scalar value may not be null, as list elements may not; AWS lists that constraint for scalar values only
      // ("Value '{2=2.0}' at 'routingConfig.additionalVersionWeights' ... Map value must satisfy constraint: [...]").
      const constraints = scalar ? [...this.describe(valueShape), 'Member must not be null'] : this.describe(valueShape);
      violations.add(entries, path, `Map value must satisfy constraint: [${constraints.join(', ')}]`, hide, shownMap(valueShape, entries));
    }
    if (scalar) return;
    for (const name of Object.keys(entries)) {
      const inner = entries[name];
      // A missing aggregate value is reported where it sits, as a list's missing element is.
      if (inner === undefined || inner === null) violations.add(inner, `${path}.${name}.member`, 'Member must not be null');
      else this.inner(valueName, valueShape, inner, `${path}.${name}.member`, violations, hidden);
    }
  }

  /** Whether any key breaks the key shape's constraints; a loop, not Object.keys: maps are checked on every request. */
  private anyKeyFails(key: Shape, entries: Record<string, unknown>): boolean {
    if (this.kindsOf(key).length === 0) return false;
    for (const name in entries) if (Object.hasOwn(entries, name) && this.fails(key, name)) return true;
    return false;
  }

  private anyValueFails(valueShape: Shape, scalar: boolean, entries: Record<string, unknown>): boolean {
    for (const name in entries) {
      if (!Object.hasOwn(entries, name)) continue;
      const inner = entries[name];
      if (inner === undefined || inner === null ? scalar : this.fails(valueShape, inner)) return true;
    }
    return false;
  }

  /** Whether a shape's own value breaks any of its constraints; allocates nothing, as almost every value passes. */
  private fails(shape: Shape, value: unknown): boolean {
    for (const kind of this.kindsOf(shape)) if (this.violation(kind, shape, value) !== undefined) return true;
    return false;
  }

  /** The violated constraints of a shape's own value (length, range, pattern, enum), in the service's order. */
  private own(shape: Shape, value: unknown): string[] {
    const kinds = this.kindsOf(shape);
    if (kinds.length === 0) return NO_MESSAGES;
    const failed: string[] = [];
    for (const kind of kinds) {
      const message = this.violation(kind, shape, value);
      if (message) failed.push(message);
    }
    return failed;
  }

  /** The constraint kinds a shape has at all, in the service's order; most shapes have none or one. */
  private kindsOf(shape: Shape): readonly ConstraintKind[] {
    let kinds = this.kinds.get(shape);
    if (!kinds) {
      const has = (kind: ConstraintKind): boolean =>
        kind === 'pattern' ? shape.pattern !== undefined : kind === 'enum' ? shape.enum !== undefined : kind === 'minLength' || kind === 'minValue' ? shape.min !== undefined : shape.max !== undefined;
      kinds = this.order.filter(has);
      this.kinds.set(shape, kinds);
    }
    return kinds;
  }

  private violation(kind: ConstraintKind, shape: Shape, value: unknown): string | undefined {
    switch (kind) {
      case 'pattern':
        return shape.pattern !== undefined && typeof value === 'string' && !this.patterns.test(shape.pattern, value) ? describePattern(shape.pattern) : undefined;
      case 'enum':
        return shape.enum !== undefined && typeof value === 'string' && !shape.enum.includes(value) ? describeEnum(this.enums.get(shape) ?? shape.enum) : undefined;
      case 'minLength': {
        const length = lengthOf(shape, value);
        return shape.min !== undefined && length !== undefined && length < shape.min ? `Member must have length greater than or equal to ${shape.min}` : undefined;
      }
      case 'maxLength': {
        const length = lengthOf(shape, value);
        return shape.max !== undefined && length !== undefined && length > shape.max ? `Member must have length less than or equal to ${shape.max}` : undefined;
      }
      case 'minValue':
        return shape.min !== undefined && typeof value === 'number' && value < shape.min ? `Member must have value greater than or equal to ${bound(shape, shape.min)}` : undefined;
      case 'maxValue':
        return shape.max !== undefined && typeof value === 'number' && value > shape.max ? `Member must have value less than or equal to ${bound(shape, shape.max)}` : undefined;
    }
  }

  /** Every constraint of a shape, worded, in the order AWS lists an element's constraints. */
  private describe(shape: Shape): string[] {
    const out: string[] = [];
    const numeric = isNumeric(shape);
    if (shape.max !== undefined) out.push(numeric ? `Member must have value less than or equal to ${bound(shape, shape.max)}` : `Member must have length less than or equal to ${shape.max}`);
    if (shape.min !== undefined) out.push(numeric ? `Member must have value greater than or equal to ${bound(shape, shape.min)}` : `Member must have length greater than or equal to ${shape.min}`);
    if (shape.pattern !== undefined) out.push(describePattern(shape.pattern));
    if (shape.enum !== undefined) out.push(describeEnum(this.enums.get(shape) ?? shape.enum));
    return out;
  }
}


const NO_NAMES: ReadonlySet<string> = new Set();
const NO_QUIRKS: ValidationQuirks = {};

interface PlannedMember {
  member: Member;
  path: string;
  own: MemberCheck | undefined;
}
const NO_MESSAGES: string[] = [];

function describePattern(pattern: string): string {
  return `Member must satisfy regular expression pattern: ${pattern}`;
}

function describeEnum(values: readonly string[]): string {
  return `Member must satisfy enum value set: [${values.join(', ')}]`;
}

function isComposite(shape: Shape): boolean {
  return shape.type === 'structure' || shape.type === 'list' || shape.type === 'map';
}

function isFloating(shape: Shape): boolean {
  return shape.type === 'double' || shape.type === 'float';
}

/** Java's Double.toString for the values AWS's messages show: 2 → "2.0", 0.25 → "0.25". */
function javaDouble(value: number): string {
  return Number.isInteger(value) ? value.toFixed(1) : String(value);
}

/** A map as Java prints it, its values by their shape ({2=2.0} for doubles). */
function javaMap(valueShape: Shape, entries: Record<string, unknown>): string {
  const text = (inner: unknown): string => (isFloating(valueShape) && typeof inner === 'number' ? javaDouble(inner) : javaString(inner));
  return `{${Object.entries(entries).map(([name, inner]) => `${name}=${text(inner)}`).join(', ')}}`;
}

/** A map's value as AWS's message shows it, in quotes. */
function shownMap(valueShape: Shape, entries: Record<string, unknown>): string {
  return `'${javaMap(valueShape, entries)}'`;
}

/** A numeric constraint's bound as AWS words it: a double's bound as a double ("1.0"). */
function bound(shape: Shape, value: number): string {
  return isFloating(shape) ? javaDouble(value) : String(value);
}

function isNumeric(shape: Shape): boolean {
  return shape.type === 'integer' || shape.type === 'long' || shape.type === 'float' || shape.type === 'double' || shape.type === 'bigdecimal' || shape.type === 'biginteger';
}

function lengthOf(shape: Shape, value: unknown): number | undefined {
  if (isNumeric(shape)) return undefined;
  if (typeof value === 'string') return value.length;
  if (Array.isArray(value)) return value.length;
  if (value instanceof Uint8Array) return value.length;
  if (shape.type === 'map' && value !== null && typeof value === 'object') return Object.keys(value).length;
  return undefined;
}
