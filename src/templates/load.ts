/**
 * An app folder → a validated AppSpec: flint.yaml when there is one (it wins), else a SAM template
 * (template.yaml, template.yml or template.json), else a serverless.yml, or the file `--template` names.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { FlintError } from '../core/index.js';
import { loadManifest, MANIFEST_FILE_NAMES, validateManifest, type AppSpec } from '../manifest/index.js';
import { parseTemplateText } from './cloudformation/yaml.js';
import { samToApp, type SamOptions, type TemplateOutput } from './sam/translate.js';
import { SERVERLESS_FILE_NAMES, serverlessToSam } from './serverless/index.js';

export const TEMPLATE_FILE_NAMES = ['template.yaml', 'template.yml', 'template.json'] as const;

export interface LoadOptions {
  /** A template file to read instead of the folder's flint.yaml or template. */
  template?: string;
  /** `Key=Value` pairs for the template's parameters. */
  parameterOverrides?: readonly string[];
  /** serverless.yml: the stage (`--stage`; else provider.stage; else "dev"). */
  stage?: string;
  region?: string;
  accountId?: string;
  endpoint?: string;
  apiId?: SamOptions['apiId'];
}

/** What a template adds to a loaded app: what Flint cannot honour, and the Outputs to show after deploy. */
export interface TemplateInfo {
  file: string;
  unsupported: string[];
  outputs: TemplateOutput[];
  apiStages: Record<string, string>;
}

export interface LoadedApp {
  spec: AppSpec;
  template?: TemplateInfo;
}

/** The file an app folder deploys from: flint.yaml first, then a template, then serverless.yml; undefined when none. */
export function appFileIn(dir: string): string | undefined {
  for (const name of [...MANIFEST_FILE_NAMES, ...TEMPLATE_FILE_NAMES, ...SERVERLESS_FILE_NAMES]) {
    const path = join(dir, name);
    if (existsSync(path)) return path;
  }
  return undefined;
}

export async function loadApp(dir: string, options: LoadOptions = {}): Promise<LoadedApp> {
  const folder = resolve(dir);
  if (options.template !== undefined) return loadTemplate(resolve(options.template), folder, options);
  const file = appFileIn(folder);
  if (file === undefined) {
    throw new FlintError('MANIFEST_NOT_FOUND', `no flint.yaml, template.yaml, template.json or serverless.yml in ${folder}`, { dir: folder });
  }
  if ((MANIFEST_FILE_NAMES as readonly string[]).includes(basename(file))) {
    if (options.parameterOverrides?.length) throw new FlintError('INVALID_REQUEST', `--parameter-overrides applies to SAM templates; ${file} is a flint.yaml`);
    return { spec: await loadManifest(folder) };
  }
  return loadTemplate(file, folder, options);
}

async function loadTemplate(file: string, folder: string, options: LoadOptions): Promise<LoadedApp> {
  const text = await readFile(file, 'utf8').catch((error: unknown) => {
    throw new FlintError('MANIFEST_NOT_FOUND', `cannot read the template ${file}: ${(error as Error).message}`, { file });
  });
  if ((SERVERLESS_FILE_NAMES as readonly string[]).includes(basename(file))) return loadServerless(text, file, folder, options);
  const parsed = parseTemplateText(text, file);
  if (parsed.value === null || typeof parsed.value !== 'object' || Array.isArray(parsed.value)) {
    throw new FlintError('MANIFEST_INVALID', `${file}: a template is a map with a Resources section`, { file });
  }
  return appFromTemplate(parsed.value, { ...options, file, folder, locate: parsed.locate });
}

/** A serverless.yml is translated into a SAM template (as the Framework compiles to CloudFormation), then deployed as one. */
function loadServerless(text: string, file: string, folder: string, options: LoadOptions): LoadedApp {
  const sls = serverlessToSam(text, file, { stage: options.stage, options: options.region ? { region: options.region } : {} });
  const loaded = appFromTemplate(sls.template, { ...options, file, folder, app: sls.stackName, region: options.region ?? sls.region });
  const template = loaded.template;
  return template ? { spec: loaded.spec, template: { ...template, unsupported: [...sls.unsupported, ...template.unsupported] } } : loaded;
}

export interface TemplateSource extends Omit<LoadOptions, 'template'> {
  /** The file named in messages; CodeUri and ContentUri are relative to its folder, as `sam build` reads them. */
  file: string;
  /** The app folder: the app is named after it (AWS::StackName) unless `app` is given. */
  folder: string;
  app?: string;
  /** Where a path of the template is written (parseTemplateText's locate); line 1 when absent. */
  locate?: SamOptions['locate'];
}

/**
 * A template already read into an object (a SAM template, or one another format was translated into) → a validated
 * AppSpec and what the template adds. Problems name `file` and the template's lines.
 */
export function appFromTemplate(template: object, source: TemplateSource): LoadedApp {
  const codeDir = dirname(source.file);
  const translation = samToApp(template, {
    dir: codeDir,
    file: source.file,
    app: source.app ?? appName(source.folder),
    parameterOverrides: source.parameterOverrides ?? [],
    region: source.region,
    accountId: source.accountId,
    endpoint: source.endpoint,
    apiId: source.apiId,
    locate: source.locate,
  });
  const spec = validateManifest(translation.document, { file: source.file, dir: codeDir, locate: translation.locate, field: translation.field });
  return { spec, template: { file: source.file, unsupported: translation.unsupported, outputs: translation.outputs, apiStages: translation.apiStages } };
}

/** The folder's name made into an app name (AWS::StackName): lowercase letters, digits and dashes. */
function appName(folder: string): string {
  const name = basename(folder).toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+/, '').slice(0, 63);
  return name === '' ? 'app' : name;
}
