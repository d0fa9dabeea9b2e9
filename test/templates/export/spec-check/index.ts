/**
 * Checks a SAM template as CloudFormation and the SAM transform would before anything is created, against AWS's
 * published resource specification (@aws-cdk/aws-service-spec): the template's anatomy, every resource type,
 * property name (case-sensitive), required property and value type, nested property types and SAM event types,
 * every Ref, Fn::GetAtt and Fn::Sub reference, Globals, and the local code paths `sam deploy` packages.
 * A test-side tool: the spec is a development dependency, and what it checks (the exporter's output shape) is fixed
 * by Flint's code, so checking each example in the tests covers every template the exporter can write.
 * It is not the SAM CLI: nothing here runs `sam validate`/`sam deploy`, and Fn::Transform macros are not expanded.
 */
import { specDatabase } from './database.js';
import { checkIntrinsics, type TemplateNames } from './intrinsics.js';
import { GLOBALS_SECTIONS, generatedResources, SAM_TRANSFORM } from './sam.js';
import { checkEvents, checkFunctionCode, checkHttpApiAuthorizers, checkLocalPaths } from './sam-rules.js';
import { checkProperties, isPlainObject, withSamCorrections, type Finding } from './values.js';

export type { Finding } from './values.js';
export { flintLocalValues } from './sam-rules.js';

/** https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/template-anatomy.html, plus SAM's Globals. */
const SECTIONS = ['AWSTemplateFormatVersion', 'Description', 'Metadata', 'Parameters', 'Rules', 'Mappings', 'Conditions', 'Transform', 'Resources', 'Outputs', 'Globals'];
/** https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-product-attribute-reference.html, plus SAM's Connectors. */
const RESOURCE_KEYS = ['Type', 'Properties', 'DependsOn', 'Metadata', 'Condition', 'DeletionPolicy', 'UpdateReplacePolicy', 'CreationPolicy', 'UpdatePolicy', 'Connectors'];

type Resource = { Type?: unknown; Properties?: Record<string, unknown>; Metadata?: unknown; DependsOn?: unknown; Condition?: unknown };

export interface CheckOptions {
  /** The template's folder: relative CodeUri/ContentUri paths must exist under it. */
  dir?: string;
}

export function checkTemplate(template: unknown, options: CheckOptions = {}): Finding[] {
  if (!isPlainObject(template)) return [{ path: '', message: 'a template is a YAML/JSON object' }];
  const findings = checkAnatomy(template);
  const resources = (isPlainObject(template.Resources) ? template.Resources : {}) as Record<string, Resource>;
  const globals = isPlainObject(template.Globals) ? template.Globals : {};
  const names = templateNames(template, resources);
  const context: ResourceContext = { names, globals, resources, dir: options.dir };
  for (const [id, resource] of Object.entries(resources)) findings.push(...checkResource(id, resource, context));
  findings.push(...checkGlobals(globals));
  findings.push(...checkIntrinsics(resourcesForIntrinsics(resources), 'Resources', names));
  findings.push(...checkIntrinsics(template.Outputs, 'Outputs', names));
  findings.push(...checkIntrinsics(template.Conditions, 'Conditions', names, true));
  findings.push(...checkIntrinsics(template.Globals, 'Globals', names));
  for (const [id, output] of Object.entries(isPlainObject(template.Outputs) ? template.Outputs : {})) {
    if (!isPlainObject(output) || output.Value === undefined) findings.push({ path: `Outputs.${id}`, message: 'an output needs a Value' });
  }
  return findings;
}

function checkAnatomy(template: Record<string, unknown>): Finding[] {
  const findings: Finding[] = Object.keys(template)
    .filter((key) => !SECTIONS.includes(key))
    .map((key) => ({ path: key, message: `unknown template section '${key}'` }));
  if (template.AWSTemplateFormatVersion !== undefined && template.AWSTemplateFormatVersion !== '2010-09-09') {
    findings.push({ path: 'AWSTemplateFormatVersion', message: `the only template format version is "2010-09-09" (a string), got ${JSON.stringify(template.AWSTemplateFormatVersion)}` });
  }
  if (!isPlainObject(template.Resources) || Object.keys(template.Resources).length === 0) findings.push({ path: 'Resources', message: 'a template needs at least one resource' });
  const transforms = [template.Transform ?? []].flat();
  const usesSam = Object.values(isPlainObject(template.Resources) ? template.Resources : {}).some((r) => isPlainObject(r) && String(r.Type).startsWith('AWS::Serverless::'));
  if ((usesSam || template.Globals !== undefined) && !transforms.includes(SAM_TRANSFORM)) findings.push({ path: 'Transform', message: `SAM resources and Globals need Transform: ${SAM_TRANSFORM}` });
  return findings;
}

function templateNames(template: Record<string, unknown>, resources: Record<string, Resource>): TemplateNames {
  const keys = (section: unknown): Set<string> => new Set(isPlainObject(section) ? Object.keys(section) : []);
  const types = new Map(Object.entries(resources).map(([id, r]) => [id, String(r.Type)]));
  for (const [id, type] of generatedResources(resources)) if (!types.has(id)) types.set(id, type);
  return {
    db: specDatabase(),
    parameters: keys(template.Parameters),
    resources: types,
    conditions: keys(template.Conditions),
    mappings: keys(template.Mappings),
    languageExtensions: [template.Transform ?? []].flat().includes('AWS::LanguageExtensions'),
  };
}

interface ResourceContext {
  names: TemplateNames;
  globals: Record<string, unknown>;
  resources: Record<string, Resource>;
  dir: string | undefined;
}

function checkResource(id: string, resource: Resource, { names, globals, resources, dir }: ResourceContext): Finding[] {
  const path = `Resources.${id}`;
  if (!/^[A-Za-z0-9]{1,255}$/.test(id)) return [{ path, message: 'a logical id is 1–255 letters and digits' }];
  if (!isPlainObject(resource)) return [{ path, message: 'a resource is an object with a Type' }];
  const findings: Finding[] = Object.keys(resource)
    .filter((key) => !RESOURCE_KEYS.includes(key))
    .map((key) => ({ path: `${path}.${key}`, message: `unknown resource attribute '${key}'` }));
  for (const dependency of [resource.DependsOn ?? []].flat()) {
    if (!names.resources.has(String(dependency))) findings.push({ path: `${path}.DependsOn`, message: `DependsOn ${String(dependency)}: no such resource` });
  }
  if (resource.Condition !== undefined && !names.conditions.has(String(resource.Condition))) findings.push({ path: `${path}.Condition`, message: `no condition named ${String(resource.Condition)}` });
  const type = String(resource.Type);
  if (type.startsWith('Custom::') || type === 'AWS::CloudFormation::CustomResource') return findings;
  const spec = names.db.resource(type);
  if (!spec) return [...findings, { path: `${path}.Type`, message: `unknown resource type ${type}` }];
  const scope = { db: names.db, resourceType: type };
  const properties = resource.Properties ?? {};
  const sam = type.startsWith('AWS::Serverless::');
  const fromGlobals = sam && isPlainObject(globals[type.slice('AWS::Serverless::'.length)]) ? (globals[type.slice('AWS::Serverless::'.length)] as Record<string, unknown>) : {};
  const { Events: events, ...rest } = properties;
  const checkedHere = sam && type in { 'AWS::Serverless::Function': 1, 'AWS::Serverless::StateMachine': 1 } ? rest : properties;
  findings.push(...checkProperties(checkedHere, withSamCorrections(spec.properties, type, names.db), type, `${path}.Properties`, scope, Object.keys(fromGlobals)));
  if (checkedHere === rest) findings.push(...checkEvents(events, `${path}.Properties.Events`, { scope, spec, resources, dir }));
  if (type === 'AWS::Serverless::Function') findings.push(...checkFunctionCode(properties, fromGlobals, `${path}.Properties`));
  if (type === 'AWS::Serverless::HttpApi') findings.push(...checkHttpApiAuthorizers(properties, `${path}.Properties`));
  findings.push(...checkLocalPaths(id, resource, dir));
  return findings;
}

/** Globals: sections SAM reads, each holding only properties of its resource type. */
function checkGlobals(globals: Record<string, unknown>): Finding[] {
  const db = specDatabase();
  return Object.entries(globals).flatMap(([section, values]) => {
    const path = `Globals.${section}`;
    if (!GLOBALS_SECTIONS.includes(section)) return [{ path, message: `Globals has no section '${section}' (SAM reads ${GLOBALS_SECTIONS.join(', ')})` }];
    const type = `AWS::Serverless::${section}`;
    const spec = db.resource(type);
    if (!spec) return [];
    const optional = Object.fromEntries(Object.entries(withSamCorrections(spec.properties, type, db)).map(([name, p]) => [name, { ...p, required: false }]));
    return checkProperties(values, optional, `Globals.${section}`, path, { db, resourceType: type });
  });
}

/** Resource properties and conditions are where intrinsics resolve; Metadata is the author's own. */
function resourcesForIntrinsics(resources: Record<string, Resource>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(resources).map(([id, r]) => [id, isPlainObject(r) ? { Properties: r.Properties } : r]));
}
