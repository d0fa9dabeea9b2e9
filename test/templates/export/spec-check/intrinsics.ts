/**
 * Intrinsic functions anywhere in the template, as CloudFormation resolves them
 * (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/intrinsic-function-reference.html): the function
 * exists, every Ref names a parameter, a resource (or one SAM generates) or a pseudo parameter, every Fn::GetAtt
 * names an attribute the spec lists for the resource's type, every `${…}` of Fn::Sub resolves, Fn::If names a
 * condition and Fn::FindInMap a mapping, and condition functions stay in Conditions.
 */
import type { SpecDatabase } from './database.js';
import { BECOMES } from './sam.js';
import { isPlainObject, type Finding } from './values.js';

/** https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/pseudo-parameter-reference.html */
const PSEUDO_PARAMETERS = ['AWS::AccountId', 'AWS::NotificationARNs', 'AWS::NoValue', 'AWS::Partition', 'AWS::Region', 'AWS::StackId', 'AWS::StackName', 'AWS::URLSuffix'];
const CONDITION_FUNCTIONS = ['Fn::Equals', 'Fn::And', 'Fn::Or', 'Fn::Not'];
const VALUE_FUNCTIONS = ['Fn::Base64', 'Fn::Cidr', 'Fn::FindInMap', 'Fn::GetAtt', 'Fn::GetAZs', 'Fn::ImportValue', 'Fn::Join', 'Fn::Select', 'Fn::Split', 'Fn::Sub', 'Fn::Transform', 'Fn::If'];
/** Functions the AWS::LanguageExtensions transform adds. */
const LANGUAGE_EXTENSION_FUNCTIONS = ['Fn::Length', 'Fn::ToJsonString'];

export interface TemplateNames {
  db: SpecDatabase;
  parameters: Set<string>;
  /** Logical id → type, the template's resources and those SAM generates. */
  resources: Map<string, string>;
  conditions: Set<string>;
  mappings: Set<string>;
  languageExtensions: boolean;
}

export function checkIntrinsics(value: unknown, path: string, names: TemplateNames, inConditions = false): Finding[] {
  if (Array.isArray(value)) return value.flatMap((item, i) => checkIntrinsics(item, `${path}[${i}]`, names, inConditions));
  if (!isPlainObject(value)) return [];
  const keys = Object.keys(value);
  const [fn] = keys;
  if (keys.length === 1 && fn !== undefined && (fn === 'Ref' || fn.startsWith('Fn::') || (fn === 'Condition' && inConditions))) {
    return [...checkFunction(fn, value[fn], path, names, inConditions), ...checkIntrinsics(value[fn], `${path}.${fn}`, names, inConditions || fn === 'Fn::If')];
  }
  return Object.entries(value).flatMap(([key, item]) => checkIntrinsics(item, `${path}.${key}`, names, inConditions));
}

function checkFunction(fn: string, args: unknown, path: string, names: TemplateNames, inConditions: boolean): Finding[] {
  const at = `${path}.${fn}`;
  const finding = (message: string): Finding[] => [{ path: at, message }];
  if (fn === 'Ref') return typeof args === 'string' ? checkRef(args, at, names) : finding('Ref takes a logical id or parameter name (a string)');
  if (fn === 'Condition') return typeof args === 'string' && names.conditions.has(args) ? [] : finding(`no condition named ${JSON.stringify(args)}`);
  if (CONDITION_FUNCTIONS.includes(fn)) return inConditions ? [] : finding(`${fn} is a condition function: it belongs in Conditions (or an Fn::If's condition)`);
  if (LANGUAGE_EXTENSION_FUNCTIONS.includes(fn)) return names.languageExtensions ? [] : finding(`${fn} needs the AWS::LanguageExtensions transform`);
  if (!VALUE_FUNCTIONS.includes(fn)) return finding(`unknown intrinsic function ${fn}`);
  if (fn === 'Fn::GetAtt') return checkGetAtt(args, at, names);
  if (fn === 'Fn::Sub') return checkSub(args, at, names);
  if (fn === 'Fn::If') return Array.isArray(args) && args.length === 3 && names.conditions.has(String(args[0])) ? [] : finding(`Fn::If takes [condition, then, else] naming a condition of the template`);
  if (fn === 'Fn::FindInMap') return Array.isArray(args) && args.length >= 3 && (typeof args[0] !== 'string' || names.mappings.has(args[0])) ? [] : finding(`Fn::FindInMap takes [mapping, key, key] naming a mapping of the template`);
  if (fn === 'Fn::Join') return Array.isArray(args) && args.length === 2 && typeof args[0] === 'string' ? [] : finding('Fn::Join takes [delimiter, list]');
  if (fn === 'Fn::Select' || fn === 'Fn::Split') return Array.isArray(args) && args.length === 2 ? [] : finding(`${fn} takes two arguments`);
  return [];
}

function checkRef(name: string, path: string, names: TemplateNames): Finding[] {
  if (PSEUDO_PARAMETERS.includes(name) || names.parameters.has(name) || names.resources.has(name)) return [];
  return [{ path, message: `Ref ${name}: no parameter, resource or pseudo parameter has that name` }];
}

function checkGetAtt(args: unknown, path: string, names: TemplateNames): Finding[] {
  const parts = typeof args === 'string' ? splitAtFirstDot(args) : Array.isArray(args) && args.length === 2 ? [args[0], args[1]] : undefined;
  if (!parts || typeof parts[0] !== 'string') return [{ path, message: 'Fn::GetAtt takes [logicalId, attribute] or "logicalId.attribute"' }];
  const [id, attribute] = parts;
  if (typeof attribute !== 'string') return []; // An attribute chosen by a Ref: CloudFormation resolves it at deploy.
  return checkAttribute(id, attribute, path, names);
}

function checkAttribute(id: string, attribute: string, path: string, names: TemplateNames): Finding[] {
  const type = names.resources.get(id);
  if (type === undefined) return [{ path, message: `Fn::GetAtt ${id}.${attribute}: no resource named ${id}` }];
  const becomes = BECOMES[type] ?? type;
  if (becomes.startsWith('Custom::') || becomes === 'AWS::CloudFormation::CustomResource') return [];
  if (becomes === 'AWS::CloudFormation::Stack' && attribute.startsWith('Outputs.')) return [];
  const resource = names.db.resource(becomes);
  if (resource && attribute in resource.attributes) return [];
  const known = resource ? Object.keys(resource.attributes).join(', ') || 'none' : 'unknown';
  return [{ path, message: `Fn::GetAtt ${id}.${attribute}: ${becomes} has no attribute ${attribute} (it has: ${known})` }];
}

function checkSub(args: unknown, path: string, names: TemplateNames): Finding[] {
  const [text, variables] = typeof args === 'string' ? [args, {}] : Array.isArray(args) ? [args[0], args[1] ?? {}] : [undefined, {}];
  if (typeof text !== 'string' || !isPlainObject(variables)) return [{ path, message: 'Fn::Sub takes a string or [string, { variables }]' }];
  const findings: Finding[] = [];
  for (const [, inner] of text.matchAll(/\$\{([^}]*)\}/g)) {
    const name = inner!.trim();
    if (name.startsWith('!') || name in variables) continue;
    const parts = name.includes('.') && !names.resources.has(name) ? splitAtFirstDot(name) : undefined;
    findings.push(...(parts ? checkAttribute(parts[0], parts[1], path, names) : checkRef(name, path, names)));
  }
  return findings;
}

function splitAtFirstDot(text: string): [string, string] | undefined {
  const dot = text.indexOf('.');
  return dot > 0 ? [text.slice(0, dot), text.slice(dot + 1)] : undefined;
}
