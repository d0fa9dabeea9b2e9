import { FlintError, isFlintError } from '../../core/index.js';
import type { MetadataStore } from '../../storage/index.js';
import type { ArnScope } from './arn.js';
import type { CodeStore } from './code.js';
import { newRevisionId } from './context.js';
import { concurrentUpdate, invalid } from './errors.js';
import { layerArn, layerVersionArn, parseLayerVersionArn } from './layer-arn.js';
import { mergeLayers } from './layer-mount.js';
import type { FunctionLayer, LayerListFilter, LayerPolicy, LayerStatement, LayerVersion, PublishLayerInput } from './layer-types.js';
import type { KeyedLock } from './lock.js';
import { pageOf } from './paging.js';
import type { Page } from './types.js';

const VERSIONS = 'layer_versions';
const POLICIES = 'layer_policies';
/** Lambda's limit on the layers one function uses. */
export const MAX_FUNCTION_LAYERS = 5;

/** Zero-padded so that keys sort in version order. */
const versionKey = (name: string, version: number): string => `${name}/${String(version).padStart(10, '0')}`;

const NO_RESOURCE = 'The resource you requested does not exist.';

/**
 * Layer versions, Lambda's way: each PublishLayerVersion stores the zip (content-addressed, beside function code)
 * and a new immutable version numbered after every version the layer ever had. Messages are Lambda's (LocalStack's
 * recordings of AWS, test_lambda_api.snapshot.json, TestLambdaLayer).
 */
export class LayerVersions {
  constructor(
    private readonly metadata: MetadataStore,
    private readonly code: CodeStore,
    private readonly scope: ArnScope,
    private readonly lock: KeyedLock,
    private readonly now: () => number,
    private readonly dataDir: string,
  ) {}

  /** PublishLayerVersion. */
  async publish(input: PublishLayerInput): Promise<LayerVersion> {
    const stored = await this.code.store(input.zip);
    const version = await this.metadata.nextSequence(`layer-version:${input.name}`);
    const record: LayerVersion = {
      name: input.name,
      version,
      description: input.description ?? '',
      createdDate: this.now(),
      compatibleRuntimes: [...(input.compatibleRuntimes ?? [])],
      compatibleArchitectures: [...(input.compatibleArchitectures ?? [])],
      ...(input.licenseInfo !== undefined ? { licenseInfo: input.licenseInfo } : {}),
      codeSha256: stored.sha256,
      codeSize: stored.size,
      ...(input.app !== undefined ? { app: input.app } : {}),
    };
    await this.metadata.put(VERSIONS, versionKey(input.name, version), record, { ifRevision: 0 });
    return record;
  }

  /** GetLayerVersion: ResourceNotFoundException when absent, a version below 1 refused first. */
  async get(name: string, version: number): Promise<LayerVersion> {
    checkVersionNumber(version);
    const found = await this.find(name, version);
    if (!found) throw new FlintError('NOT_FOUND', NO_RESOURCE, { resource: layerVersionArn(this.scope, name, version) });
    return found;
  }

  find(name: string, version: number): Promise<LayerVersion | undefined> {
    return this.metadata.get<LayerVersion>(VERSIONS, versionKey(name, version)).then((doc) => doc?.value);
  }

  /** ListLayerVersions: newest first; an unknown layer lists nothing. */
  async listVersions(name: string, filter: LayerListFilter = {}): Promise<Page<LayerVersion>> {
    const all = (await this.all(name)).filter((v) => matches(v, filter)).reverse();
    return pageOf(all, (v) => String(1e10 - v.version).padStart(10, '0'), filter);
  }

  /** ListLayers: every layer by name with its newest version that matches the filter. */
  async listLayers(filter: LayerListFilter = {}): Promise<Page<LayerVersion>> {
    const latest = new Map<string, LayerVersion>();
    for (const v of await this.all()) if (matches(v, filter)) latest.set(v.name, v);
    return pageOf([...latest.values()], (v) => v.name, filter);
  }

  /** DeleteLayerVersion: absent layers and versions are fine, as on Lambda; functions using it keep its code. */
  async delete(name: string, version: number): Promise<void> {
    checkVersionNumber(version);
    await this.metadata.delete(VERSIONS, versionKey(name, version));
    await this.metadata.delete(POLICIES, versionKey(name, version));
  }

  /** Removes every version an app published (removing the app, as deleting a stack removes its layer versions). */
  async deleteApp(app: string): Promise<void> {
    for (const version of await this.all()) if (version.app === app) await this.delete(version.name, version.version);
  }

  // ---- permissions ---------------------------------------------------------------------------------------

  async addPermission(name: string, version: number, statement: LayerStatement, revisionId?: string): Promise<{ statement: LayerStatement; revisionId: string }> {
    return this.lock.run(`layer:${name}`, async () => {
      await this.requireForPolicy(name, version);
      const stored = await this.metadata.get<LayerPolicy>(POLICIES, versionKey(name, version));
      checkPolicyRevision(revisionId, stored?.value.revisionId);
      const statements = stored?.value.statements ?? [];
      if (statements.some((s) => s.sid === statement.sid)) {
        throw new FlintError(
          'RESOURCE_CONFLICT',
          `The statement id (${statement.sid}) provided already exists. Please provide a new statement id, or remove the existing statement.`,
          { sid: statement.sid },
        );
      }
      const policy = { statements: [...statements, statement], revisionId: newRevisionId() };
      await this.writePolicy(name, version, policy, stored?.revision ?? 0);
      return { statement, revisionId: policy.revisionId };
    });
  }

  async removePermission(name: string, version: number, sid: string, revisionId?: string): Promise<void> {
    await this.lock.run(`layer:${name}`, async () => {
      await this.requireForPolicy(name, version);
      const stored = await this.metadata.get<LayerPolicy>(POLICIES, versionKey(name, version));
      const statements = stored?.value.statements ?? [];
      if (!stored || !statements.some((s) => s.sid === sid)) {
        throw new FlintError('NOT_FOUND', `Statement ${sid} is not found in resource policy.`, { sid });
      }
      checkPolicyRevision(revisionId, stored.value.revisionId);
      const rest = statements.filter((s) => s.sid !== sid);
      if (rest.length === 0) await this.metadata.delete(POLICIES, versionKey(name, version), { ifRevision: stored.revision });
      else await this.writePolicy(name, version, { statements: rest, revisionId: newRevisionId() }, stored.revision);
    });
  }

  async getPolicy(name: string, version: number): Promise<LayerPolicy> {
    await this.requireForPolicy(name, version);
    const stored = await this.metadata.get<LayerPolicy>(POLICIES, versionKey(name, version));
    if (!stored) throw new FlintError('NOT_FOUND', 'No policy is associated with the given resource.', {});
    return stored.value;
  }

  // ---- functions ----------------------------------------------------------------------------------------

  /**
   * The layer versions a function names, checked as Lambda checks them (at most 5, one version per layer, each
   * present). ARNs are in the node's scope; an ARN of another account is a layer published on AWS, which Flint
   * cannot fetch, and the message says how to publish it locally.
   */
  async forFunction(arns: readonly string[]): Promise<FunctionLayer[]> {
    if (arns.length > MAX_FUNCTION_LAYERS) throw invalid(`Cannot reference more than ${MAX_FUNCTION_LAYERS} layers.`, 'value');
    const refs = arns.map((arn) => ({ arn, ...parseLayerVersionArn(arn) }));
    refs.forEach((ref, i) => {
      const earlier = refs.slice(0, i).find((other) => other.name === ref.name);
      if (earlier) {
        throw invalid(
          `Two different versions of the same layer are not allowed to be referenced in the same function. ${earlier.arn} and ${ref.arn} are versions of the same layer.`,
          'value',
        );
      }
    });
    const out: FunctionLayer[] = [];
    for (const ref of refs) {
      if (ref.accountId !== this.scope.accountId) throw foreignLayer(ref.arn, ref.name);
      if (ref.region !== this.scope.region) throw invalid(`Layers are not in the same region as the function. Layers are expected to be in region ${this.scope.region}.`, 'value');
      const found = await this.find(ref.name, ref.version);
      if (!found) throw invalid(`Layer version ${ref.arn} does not exist.`, 'value', { field: 'layers' });
      out.push({ name: found.name, version: found.version, codeSha256: found.codeSha256, codeSize: found.codeSize });
    }
    return out;
  }

  /**
   * The folder a function's layers appear in (/opt inside a sandbox): each layer extracted once by its digest,
   * then merged in the order given, later layers replacing earlier files. Built once per combination.
   */
  async mountDir(layers: readonly FunctionLayer[]): Promise<string> {
    const dirs: string[] = [];
    for (const layer of layers) dirs.push(await this.code.dir(layer.codeSha256));
    return mergeLayers(this.dataDir, layers.map((l) => l.codeSha256), dirs);
  }

  arn(name: string, version?: number): string {
    return version === undefined ? layerArn(this.scope, name) : layerVersionArn(this.scope, name, version);
  }

  // ---- internals ----------------------------------------------------------------------------------------

  private async all(name?: string): Promise<LayerVersion[]> {
    const docs = await this.metadata.list<LayerVersion>(VERSIONS, name === undefined ? {} : { prefix: `${name}/` });
    return docs.map((d) => d.value);
  }

  /** Policy operations name the missing version by its ARN. */
  private async requireForPolicy(name: string, version: number): Promise<void> {
    checkVersionNumber(version);
    if (!(await this.find(name, version))) {
      const arn = layerVersionArn(this.scope, name, version);
      throw new FlintError('NOT_FOUND', `Layer version ${arn} does not exist.`, { resource: arn });
    }
  }

  private async writePolicy(name: string, version: number, policy: LayerPolicy, ifRevision: number): Promise<void> {
    try {
      await this.metadata.put(POLICIES, versionKey(name, version), policy, { ifRevision });
    } catch (error) {
      if (isFlintError(error, 'PRECONDITION_FAILED')) throw concurrentUpdate(layerVersionArn(this.scope, name, version), error);
      throw error;
    }
  }
}

function matches(version: LayerVersion, filter: LayerListFilter): boolean {
  if (filter.compatibleRuntime !== undefined && !version.compatibleRuntimes.includes(filter.compatibleRuntime)) return false;
  if (filter.compatibleArchitecture !== undefined && !version.compatibleArchitectures.includes(filter.compatibleArchitecture)) return false;
  return true;
}

function checkVersionNumber(version: number): void {
  if (version < 1) throw invalid('Layer Version Cannot be less than 1', 'value');
}

function checkPolicyRevision(given: string | undefined, current: string | undefined): void {
  if (given === undefined || given === current) return;
  throw new FlintError(
    'PRECONDITION_FAILED',
    'The Revision Id provided does not match the latest Revision Id. Call the GetLayerPolicy API to retrieve the latest Revision Id',
    {},
  );
}

/** A layer of another account: on AWS, a public or shared layer; Flint has only the layers published to it. */
function foreignLayer(arn: string, name: string): FlintError {
  return invalid(
    `Layer version ${arn} does not exist. Flint cannot fetch layers from AWS: publish the layer's zip to Flint ` +
      `(aws lambda publish-layer-version --layer-name ${name} --zip-file fileb://layer.zip, or a 'layers:' entry in flint.yaml) ` +
      `and use the ARN Flint returns.`,
    'value',
    { field: 'layers', foreign: true },
  );
}
