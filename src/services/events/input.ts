import type { Target } from './api.js';
import { validation } from './errors.js';

/**
 * What a target receives (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-transform-target-input.html):
 * the whole event; `Input`, a constant JSON text; `InputPath`, the JSON of the part of the event a JSONPath selects;
 * or `InputTransformer`, a template whose `<name>` placeholders take values selected by `InputPathsMap` or the
 * predefined `aws.events.*` variables. Rendering follows what EventBridge delivers (LocalStack's
 * tests/aws/services/events/test_events_inputs.snapshot.json): inside a quoted string a value is written bare
 * (objects and lists as `{key:value}` and `[a,b]`, a missing value as nothing); outside quotes as JSON (a missing
 * value as ""). A JSON template whose result is not JSON is not delivered, as EventBridge drops it.
 */
export interface RenderContext {
  ruleArn: string;
  ruleName: string;
  /** ISO time the event was accepted. */
  ingestionTime: string;
}

const PREDEFINED = ['aws.events.rule-arn', 'aws.events.rule-name', 'aws.events.event.ingestion-time', 'aws.events.event', 'aws.events.event.json'];
const PLACEHOLDER = /<([^<>\s]+)>/g;

/** PutTargets' checks of a target's input settings, with EventBridge's messages. */
export function checkInput(target: Target): void {
  const given = [target.Input, target.InputPath, target.InputTransformer].filter((v) => v !== undefined).length;
  if (given > 1) throw validation(`Only one of Input, InputPath, or InputTransformer must be provided for target ${target.Id}.`);
  if (target.Input !== undefined && !isJson(target.Input)) throw validation(`Parameter Input is not valid. Reason: Input is not valid JSON text.`);
  if (target.InputPath !== undefined) parsePath(target.InputPath, 'InputPath');
  const transformer = target.InputTransformer;
  if (!transformer) return;
  const paths = transformer.InputPathsMap ?? {};
  for (const path of Object.values(paths)) parsePath(path, 'InputPathsMap');
  for (const [, name] of transformer.InputTemplate.matchAll(PLACEHOLDER)) {
    if (!Object.hasOwn(paths, name!) && !PREDEFINED.includes(name!)) {
      throw validation(`InputTemplate for target ${target.Id} contains invalid placeholder ${name}.`);
    }
  }
}

/** The bytes a target gets for an event, or undefined when a JSON template renders to something that is not JSON. */
export function renderInput(target: Target, event: Record<string, unknown>, context: RenderContext): string | undefined {
  if (target.Input !== undefined) return target.Input;
  if (target.InputPath !== undefined) return JSON.stringify(select(event, target.InputPath) ?? null);
  const transformer = target.InputTransformer;
  if (!transformer) return JSON.stringify(event);
  const values = new Map<string, unknown>();
  for (const [name, path] of Object.entries(transformer.InputPathsMap ?? {})) values.set(name, select(event, path));
  values.set('aws.events.rule-arn', context.ruleArn);
  values.set('aws.events.rule-name', context.ruleName);
  values.set('aws.events.event.ingestion-time', context.ingestionTime);
  values.set('aws.events.event', envelopeWithoutDetail(event, context));
  values.set('aws.events.event.json', event);
  const template = transformer.InputTemplate;
  const jsonTemplate = /^\s*[{[]/.test(template);
  const rendered = fillTemplate(template, values, jsonTemplate);
  if (rendered === undefined || (jsonTemplate && !isJson(rendered))) return undefined;
  return rendered;
}

/** Undefined when a JSON template quotes an object or a list, which EventBridge refuses to deliver. */
function fillTemplate(template: string, values: Map<string, unknown>, jsonTemplate: boolean): string | undefined {
  let out = '';
  let quoted = false;
  let last = 0;
  for (const match of template.matchAll(PLACEHOLDER)) {
    const before = template.slice(last, match.index);
    quoted = quotedAfter(before, quoted);
    const name = match[1]!;
    const value = values.get(name);
    if (jsonTemplate && quoted && typeof value === 'object' && value !== null) return undefined;
    out += before + (values.has(name) ? (quoted ? bare(value) : asJson(value)) : match[0]);
    last = match.index + match[0].length;
  }
  return out + template.slice(last);
}

/** Whether a position is inside a JSON string, given the text since the last known position. */
function quotedAfter(text: string, quoted: boolean): boolean {
  let inside = quoted;
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '\\') i++;
    else if (text[i] === '"') inside = !inside;
  }
  return inside;
}

function asJson(value: unknown): string {
  return value === undefined ? '""' : JSON.stringify(value);
}

/** A value as EventBridge writes it inside a string: bare text, `{key:value,...}`, `[a,b]`. */
function bare(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (Array.isArray(value)) return `[${value.map(bare).join(',')}]`;
  if (typeof value === 'object') return `{${Object.entries(value).map(([k, v]) => `${k}:${bare(v)}`).join(',')}}`;
  return String(value);
}

/** `<aws.events.event>`: the envelope without its detail, as EventBridge renders it (detail-type as detailType). */
function envelopeWithoutDetail(event: Record<string, unknown>, context: RenderContext): Record<string, unknown> {
  return {
    id: event.id,
    account: event.account,
    detailType: event['detail-type'],
    time: context.ingestionTime,
    source: event.source,
    region: event.region,
    resources: event.resources,
    version: event.version,
  };
}

type Step = string | number;

/** `$`, `$.detail.state`, `$.resources[0]`, `$['detail-type']`: the JSONPath subset EventBridge's paths use. */
function parsePath(path: string, field: string): Step[] {
  const steps: Step[] = [];
  const pattern = /\.([^.[\]]+)|\[(\d+)\]|\['([^']*)'\]|\["([^"]*)"\]/y;
  if (!path.startsWith('$')) throw validation(`${field} is not valid. Reason: ${path} is not a valid JSONPath.`);
  pattern.lastIndex = 1;
  while (pattern.lastIndex < path.length) {
    const at = pattern.lastIndex;
    const match = pattern.exec(path);
    if (!match || match.index !== at) throw validation(`${field} is not valid. Reason: ${path} is not a valid JSONPath.`);
    steps.push(match[2] !== undefined ? Number(match[2]) : (match[1] ?? match[3] ?? match[4])!);
  }
  return steps;
}

function select(event: unknown, path: string): unknown {
  let node: unknown = event;
  for (const step of parsePath(path, 'InputPath')) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string | number, unknown>)[step];
  }
  return node;
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}
