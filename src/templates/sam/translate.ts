/**
 * The SAM transform, as Flint runs it: a template (AWS::Serverless-2016-10-31 and plain CloudFormation) with its
 * parameters and conditions evaluated → a flint.yaml-shaped document, the list of what Flint cannot honour, and the
 * template's Outputs evaluated.
 *
 * Fidelity.
 * - Matches SAM and CloudFormation: parameters (Default, --parameter-overrides, AllowedValues, AllowedPattern,
 *   lengths, ranges, list types), pseudo parameters, Conditions, Mappings, every intrinsic function apps use in their
 *   short and long forms, Globals merging, the implicit ServerlessRestApi/ServerlessHttpApi and `<Function>Role`,
 *   the common policy templates expanded as SAM expands them, Outputs and Exports (ImportValue within the app).
 * - Missing: nested stacks and AWS::Serverless::Application, other transforms (AWS::LanguageExtensions,
 *   AWS::Include), Fn::Cidr, SSM parameter types read from Parameter Store, OpenAPI definitions, authorizers,
 *   aliases and gradual deployments, Kinesis/MQ/MSK/Cognito/IoT events: each is listed after deploy, never dropped.
 * - Differs by design: physical names are `<app>-<LogicalId>` (no random suffix) unless the template names the
 *   resource, so they are the same at each deploy; function names are their logical ids; every API is served on the
 *   node's URL (one host), a REST API without its stage in the path; roles are stored in Flint's IAM, not enforced.
 */
import { formatField } from '../../manifest/index.js';
import { TemplateError, TemplateProblems, type Place } from '../cloudformation/problems.js';
import { parseParameterOverrides, resolveParameters } from '../cloudformation/parameters.js';
import { TemplateStack } from '../cloudformation/stack.js';
import { isMap, Translation, type AppDocument } from './context.js';
import { translateFunction } from './function.js';
import { GLOBAL_TYPES, withGlobals } from './globals.js';
import { SamResources, IMPLICIT_HTTP_API, IMPLICIT_REST_API, type TemplateResource } from './model.js';
import { RESOURCE_TRANSLATORS } from './resources.js';
import { reportUnusedIam } from './roles.js';
import { WIRERS } from './wiring.js';

type Path = readonly PropertyKey[];

export interface SamOptions {
  /** The app folder: CodeUri and ContentUri are relative to it. */
  dir: string;
  /** The template file, named in messages. */
  file?: string;
  /** The app name (AWS::StackName); default: the folder name, lowercased. */
  app: string;
  /** `Key=Value` strings as `--parameter-overrides` takes them, or a map. */
  parameterOverrides?: readonly string[] | Record<string, string>;
  region?: string;
  accountId?: string;
  /** The node's URL (queue URLs); default http://127.0.0.1:4566. */
  endpoint?: string;
  /** The id Flint gives an app's API; a stand-in by default. */
  apiId?: (app: string, api: string) => string;
  /** Where a path of the template is written, for messages; line 1 when absent. */
  locate?: (path: Path) => Place;
}

export interface TemplateOutput {
  key: string;
  value: string;
  description?: string;
  exportName?: string;
}

export interface SamTranslation {
  document: AppDocument;
  /** One line per construct Flint cannot honour: `LogicalId (Type) Property: why`. */
  unsupported: string[];
  /** Outputs as evaluated; `outputsOnFlint` points API URLs at the node after deploy. */
  outputs: TemplateOutput[];
  /** The StageName of each API (by logical id) that has one in its URLs. */
  apiStages: Record<string, string>;
  /** Where a field of the document came from in the template, for the manifest's messages. */
  locate(documentPath: Path): Place;
  /** How a field of the document is named in messages: by the template property it came from. */
  field(documentPath: Path): string;
}

/** Sections of a template; anything else at the top level is reported. */
const SECTIONS = new Set(['AWSTemplateFormatVersion', 'Transform', 'Description', 'Metadata', 'Parameters', 'Conditions', 'Mappings', 'Globals', 'Resources', 'Outputs', 'Rules']);

const DEFAULT_STAGE = 'Prod';
const SAM_TRANSFORM = 'AWS::Serverless-2016-10-31';

export function samToApp(template: object, options: SamOptions): SamTranslation {
  const file = options.file ?? `${options.dir}/template.yaml`;
  const locate = options.locate ?? ((): Place => ({ line: 1, column: 1 }));
  const problems = new TemplateProblems(file);
  const fail = (error: unknown): void => {
    if (!(error instanceof TemplateError)) throw error;
    problems.add(locate(error.path), error.field, error.message);
  };
  const root = template as Record<string, unknown>;
  const overrides = Array.isArray(options.parameterOverrides) ? parseParameterOverrides(options.parameterOverrides) : { ...(options.parameterOverrides as Record<string, string> | undefined) };
  const parameters = resolveParameters(root.Parameters, overrides);
  parameters.errors.forEach(fail);
  // Everything else would fail again on the parameter: report it alone.
  problems.throwIfAny();

  const region = options.region ?? 'us-east-1';
  const accountId = options.accountId ?? '000000000000';
  const resources = rawResources(root, problems, locate);
  const late: { stack?: TemplateStack } = {};
  const model = new SamResources(resources, {
    app: options.app,
    region,
    accountId,
    endpoint: options.endpoint ?? 'http://127.0.0.1:4566',
    apiId: options.apiId ?? ((_app, api) => api),
  }, (value, path) => late.stack!.evaluate(value, path));
  const stack = new TemplateStack(root, parameters.values, { region, accountId, stackName: options.app }, model);
  late.stack = stack;
  const t = new Translation(stack, model, { region, accountId }, options.app);
  for (const key of Object.keys(root)) if (!SECTIONS.has(key)) t.notHonoured('template', key, 'not a template section Flint reads');
  reportParameterTypes(t, root.Parameters);
  reportSections(t, root);

  for (const [id, resource] of Object.entries(resources)) {
    try {
      if (!stack.included(resource, ['Resources', id])) {
        model.excluded.set(id, String((resource as { Condition?: unknown }).Condition));
        delete resources[id];
        continue;
      }
      resource.Properties = withGlobals(root.Globals, resource.Type, resource.Properties);
    } catch (error) {
      fail(error);
    }
  }
  for (const [id, resource] of Object.entries(resources)) {
    try {
      const errors: TemplateError[] = [];
      resource.Properties = stack.evaluate(resource.Properties, ['Resources', id, 'Properties'], errors) as Record<string, unknown>;
      errors.forEach(fail);
    } catch (error) {
      fail(error);
    }
  }
  if (problems.count === 0) {
    guarded(fail, () => implicitApis(t, root.Globals, resources));
    translateResources(t, resources, fail);
  }
  const outputs = problems.count === 0 ? evaluateOutputs(stack, fail) : [];
  problems.throwIfAny();
  return {
    document: t.document,
    unsupported: t.unsupported,
    outputs,
    apiStages: apiStages(resources, root.Globals),
    locate: (path) => locate(t.templatePathOf(path).path),
    field: (path) => {
      const { path: from, exact } = t.templatePathOf(path);
      return exact ? formatField(from) : `${formatField(from)} (flint.yaml's ${formatField(path)})`;
    },
  };
}

function rawResources(root: Record<string, unknown>, problems: TemplateProblems, locate: (path: Path) => Place): Record<string, TemplateResource> {
  const out: Record<string, TemplateResource> = {};
  if (!isMap(root.Resources) || Object.keys(root.Resources).length === 0) {
    problems.add(locate(['Resources']), 'Resources', 'a template needs a Resources section with at least one resource');
    return out;
  }
  for (const [id, value] of Object.entries(root.Resources)) {
    if (!isMap(value) || typeof value.Type !== 'string') {
      problems.add(locate(['Resources', id]), `Resources.${id}`, 'expected a resource with a Type');
      continue;
    }
    out[id] = { ...value, Type: value.Type, Properties: isMap(value.Properties) ? value.Properties : {} } as TemplateResource;
  }
  return out;
}

/** Transforms other than SAM's are not run, and Globals sections SAM has but Flint does not read are named. */
function reportSections(t: Translation, root: Record<string, unknown>): void {
  const transforms = Array.isArray(root.Transform) ? root.Transform : root.Transform === undefined ? [] : [root.Transform];
  for (const transform of transforms) if (transform !== SAM_TRANSFORM) t.notHonoured('template', 'Transform', `${JSON.stringify(transform)} is not run; Flint runs ${SAM_TRANSFORM}`);
  for (const section of Object.keys(isMap(root.Globals) ? root.Globals : {})) {
    if (!(section in GLOBAL_TYPES)) t.notHonoured('template', `Globals.${section}`, `Flint reads Globals for ${Object.keys(GLOBAL_TYPES).join(', ')}`);
  }
}

function reportParameterTypes(t: Translation, parameters: unknown): void {
  for (const [name, declaration] of Object.entries(isMap(parameters) ? parameters : {})) {
    const type = isMap(declaration) ? String(declaration.Type ?? '') : '';
    if (type.startsWith('AWS::SSM::Parameter::Value')) t.notHonoured(`Parameters.${name}`, 'Type', `${type}: the parameter's value is used as given, not read from Parameter Store`);
  }
}

function guarded(fail: (error: unknown) => void, fn: () => void): void {
  try {
    fn();
  } catch (error) {
    fail(error);
  }
}

/** SAM's implicit APIs take the Globals of their type (Cors, CorsConfiguration, StageName...). */
function implicitApis(t: Translation, globals: unknown, resources: Record<string, TemplateResource>): void {
  for (const [id, type] of [[IMPLICIT_REST_API, 'AWS::Serverless::Api'], [IMPLICIT_HTTP_API, 'AWS::Serverless::HttpApi']] as const) {
    if (id in resources || !t.model.has(id)) continue;
    const properties = t.stack.evaluate(withGlobals(globals, type, {}), ['Globals', type === 'AWS::Serverless::Api' ? 'Api' : 'HttpApi']);
    RESOURCE_TRANSLATORS[type]!(t, id, { Type: type, Properties: properties as Record<string, unknown> });
  }
}

function translateResources(t: Translation, resources: Record<string, TemplateResource>, fail: (error: unknown) => void): void {
  const guard = (fn: () => void): void => guarded(fail, fn);
  const entries = Object.entries(resources);
  for (const [id, r] of entries) if (r.Type !== 'AWS::Logs::LogGroup') guard(() => RESOURCE_TRANSLATORS[r.Type]?.(t, id, r));
  for (const [id, r] of entries) if (r.Type === 'AWS::Serverless::Function') guard(() => translateFunction(t, id, r));
  for (const [id, r] of entries) guard(() => WIRERS[r.Type]?.(t, id, r));
  for (const [id, r] of entries) if (r.Type === 'AWS::Logs::LogGroup') guard(() => RESOURCE_TRANSLATORS[r.Type]?.(t, id, r));
  reportUnusedIam(t);
  for (const [id, r] of entries) {
    const known = r.Type in RESOURCE_TRANSLATORS || r.Type in WIRERS || r.Type === 'AWS::Serverless::Function' || r.Type.startsWith('AWS::IAM::');
    if (!known) t.notHonoured(id, 'resource', `${r.Type} is not a resource type Flint creates`);
  }
}

function evaluateOutputs(stack: TemplateStack, fail: (error: unknown) => void): TemplateOutput[] {
  const out: TemplateOutput[] = [];
  for (const [key, output] of Object.entries(stack.section('Outputs'))) {
    try {
      if (!isMap(output) || !stack.included(output, ['Outputs', key])) continue;
      const value = stack.evaluate(output.Value, ['Outputs', key, 'Value']);
      const entry: TemplateOutput = { key, value: Array.isArray(value) ? value.join(',') : String(value) };
      if (typeof output.Description === 'string') entry.description = output.Description;
      const exportName = isMap(output.Export) ? stack.evaluate(output.Export.Name, ['Outputs', key, 'Export', 'Name']) : undefined;
      if (typeof exportName === 'string') entry.exportName = exportName;
      out.push(entry);
    } catch (error) {
      fail(error);
    }
  }
  return out;
}

/** REST APIs have their stage in their URLs (`/Prod/...`, SAM's default stage); HTTP APIs' `$default` does not. */
function apiStages(resources: Record<string, TemplateResource>, globals: unknown): Record<string, string> {
  const globalStage = isMap(globals) && isMap(globals.Api) && typeof globals.Api.StageName === 'string' ? globals.Api.StageName : DEFAULT_STAGE;
  const stages: Record<string, string> = { [IMPLICIT_REST_API]: globalStage };
  for (const [id, r] of Object.entries(resources)) {
    if (r.Type === 'AWS::Serverless::Api') stages[id] = String(r.Properties.StageName ?? DEFAULT_STAGE);
    if (r.Type === 'AWS::Serverless::HttpApi' && r.Properties.StageName !== undefined && r.Properties.StageName !== '$default') stages[id] = String(r.Properties.StageName);
  }
  return stages;
}
