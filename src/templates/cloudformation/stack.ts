/**
 * One template's evaluation scope: parameters, pseudo parameters, Conditions, Mappings, the exports of its own
 * Outputs (`Fn::ImportValue` within the app), and its resources through a ResourceModel the transform gives.
 */
import { NO_VALUE, evaluate, evaluateCondition, type Scope } from './intrinsics.js';
import type { ParameterValue } from './parameters.js';
import { TemplateError } from './problems.js';

type Path = readonly PropertyKey[];

/** What `Ref` and `Fn::GetAtt` of a resource give; throws TemplateError for what it does not know. */
export interface ResourceModel {
  has(id: string): boolean;
  ref(id: string, path: Path): unknown;
  getAtt(id: string, attribute: string, path: Path): unknown;
  /** Why a resource the template declares is not there (its Condition is false), when it is one. */
  absent?(id: string): string | undefined;
}

export interface PseudoParameters {
  region: string;
  accountId: string;
  stackName: string;
}

export class TemplateStack implements Scope {
  readonly region: string;
  private readonly conditions = new Map<string, boolean>();
  private readonly evaluatingConditions = new Set<string>();
  private readonly pseudo: Record<string, unknown>;

  constructor(
    private readonly template: Record<string, unknown>,
    private readonly parameters: Record<string, ParameterValue>,
    pseudo: PseudoParameters,
    private readonly resources: ResourceModel,
  ) {
    this.region = pseudo.region;
    // https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/pseudo-parameter-reference.html
    this.pseudo = {
      'AWS::Region': pseudo.region,
      'AWS::AccountId': pseudo.accountId,
      'AWS::StackName': pseudo.stackName,
      'AWS::StackId': `arn:aws:cloudformation:${pseudo.region}:${pseudo.accountId}:stack/${pseudo.stackName}/00000000-0000-0000-0000-000000000000`,
      'AWS::Partition': 'aws',
      'AWS::URLSuffix': 'amazonaws.com',
      'AWS::NotificationARNs': [],
      'AWS::NoValue': NO_VALUE,
    };
  }

  ref(name: string, path: Path): unknown {
    if (name in this.pseudo) return this.pseudo[name];
    if (name in this.parameters) return this.parameters[name];
    if (this.resources.has(name)) return this.resources.ref(name, path);
    throw new TemplateError(path, `Ref ${name}: ${this.resources.absent?.(name) ?? 'no parameter, pseudo parameter or resource of that name in the template'}`);
  }

  getAtt(resource: string, attribute: string, path: Path): unknown {
    if (!this.resources.has(resource)) throw new TemplateError(path, `Fn::GetAtt ${resource}.${attribute}: ${this.resources.absent?.(resource) ?? `no resource ${resource} in the template`}`);
    return this.resources.getAtt(resource, attribute, path);
  }

  condition(name: string, path: Path): boolean {
    const known = this.conditions.get(name);
    if (known !== undefined) return known;
    const declared = this.section('Conditions');
    if (!(name in declared)) throw new TemplateError(path, `condition ${name} is not declared under Conditions (declared: ${Object.keys(declared).join(', ') || 'none'})`);
    if (this.evaluatingConditions.has(name)) throw new TemplateError(['Conditions', name], `condition ${name} depends on itself`);
    this.evaluatingConditions.add(name);
    const value = evaluateCondition(declared[name], this, ['Conditions', name]);
    this.evaluatingConditions.delete(name);
    this.conditions.set(name, value);
    return value;
  }

  findInMap(map: string, topKey: string, secondKey: string, path: Path): unknown {
    const mapping = this.section('Mappings')[map];
    if (mapping === null || typeof mapping !== 'object') throw new TemplateError(path, `Fn::FindInMap: no mapping ${map} under Mappings`);
    const top = (mapping as Record<string, unknown>)[topKey];
    if (top === null || typeof top !== 'object') throw new TemplateError(path, `Fn::FindInMap: mapping ${map} has no key ${topKey}`);
    const value = (top as Record<string, unknown>)[secondKey];
    if (value === undefined) throw new TemplateError(path, `Fn::FindInMap: mapping ${map}.${topKey} has no key ${secondKey}`);
    return value;
  }

  /** Exports of this template's own Outputs; Flint has no other stacks to import from. */
  importValue(name: string, path: Path): unknown {
    for (const [key, output] of Object.entries(this.section('Outputs'))) {
      const exported = (output as { Export?: { Name?: unknown } } | null)?.Export?.Name;
      if (exported === undefined) continue;
      if (evaluate(exported, this, ['Outputs', key, 'Export', 'Name']) === name) return evaluate((output as { Value?: unknown }).Value, this, ['Outputs', key, 'Value']);
    }
    throw new TemplateError(path, `Fn::ImportValue ${name}: no output of this template exports that name (Flint imports only within the app)`);
  }

  /** Whether a resource or output with `Condition: Name` exists. */
  included(entry: unknown, path: Path): boolean {
    const condition = (entry as { Condition?: unknown } | null)?.Condition;
    if (condition === undefined) return true;
    if (typeof condition !== 'string') throw new TemplateError([...path, 'Condition'], 'expected the name of a condition');
    return this.condition(condition, [...path, 'Condition']);
  }

  evaluate(value: unknown, path: Path, errors?: TemplateError[]): unknown {
    return evaluate(value, this, path, errors);
  }

  section(name: string): Record<string, unknown> {
    const value = this.template[name];
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
  }
}
