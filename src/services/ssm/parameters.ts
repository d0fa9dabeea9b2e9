import type {
  DeleteParametersResult,
  GetParameterHistoryRequest,
  GetParameterHistoryResult,
  GetParametersResult,
  Parameter,
  ParameterHistory,
  PutParameterRequest,
  PutParameterResult,
} from './api.js';
import { parameterExists, parameterNotFound, ssmError, validation, versionNotFound } from './errors.js';
import { checkNewName, ciphertextOf, namesOfArn, parameterArn, parseSelector } from './names.js';
import { decodeToken, encodeToken } from './paging.js';
import { referencedSecret, SECRET_REFERENCE } from './references.js';
import type { SsmContext } from './state.js';
import { latest, type ParameterRecord, type ParameterType, type Tier, type VersionRecord } from './types.js';
import { checkTags } from './tag-list.js';

/** Parameter Store keeps 100 versions of a parameter; the oldest goes when a new one is written. */
const MAX_VERSIONS = 100;
/** Value sizes of the two tiers (AWS's documented quotas: 4 KB standard, 8 KB advanced). */
const STANDARD_VALUE = 4096;
const ADVANCED_VALUE = 8192;
const DEFAULT_KEY = 'alias/aws/ssm';
const DATA_TYPES = new Set(['text', 'aws:ec2:image', 'aws:ssm:integration']);
/** The AMI id format aws:ec2:image checks (AWS's documentation: ami-12345abcdeEXAMPLE, 8 or 17 hex digits). */
const AMI_ID = /^ami-([0-9a-f]{8}|[0-9a-f]{17})$/;

export async function putParameter(ctx: SsmContext, input: PutParameterRequest): Promise<PutParameterResult> {
  checkNewName(input.Name);
  if (input.Tags?.length && input.Overwrite) {
    // AWS's wording for tags given with Overwrite.
    throw validation(
      "Invalid request: tags and overwrite can't be used together. To create a parameter with tags, please remove overwrite flag. To update tags for an existing parameter, please use AddTagsToResource or RemoveTagsFromResource.",
    );
  }
  const tags = checkTags([], input.Tags ?? []);
  const now = ctx.clock.now();
  const user = `arn:aws:iam::${ctx.accountId}:root`;
  const written = await ctx.state.update(input.Name, (current) => {
    if (current && !input.Overwrite) throw parameterExists();
    const previous = current ? latest(current) : undefined;
    const version = newVersion(input, previous, now, user);
    if (!current) return { name: input.Name, versions: [version], tags };
    return { ...current, versions: withVersion(current, version) };
  });
  const version = latest(written);
  return { Version: version.version, Tier: version.tier };
}

function newVersion(input: PutParameterRequest, previous: VersionRecord | undefined, now: number, user: string): VersionRecord {
  const type = (input.Type ?? previous?.type) as ParameterType | undefined;
  // AWS's wording when a new parameter comes without a type.
  if (!type) throw validation('A parameter type is required when you create a parameter.');
  const dataType = input.DataType ?? previous?.dataType ?? 'text';
  // Flint's wording, after AWS's list of data types (https://docs.aws.amazon.com/systems-manager/latest/userguide/parameter-store-ec2-aliases.html).
  if (!DATA_TYPES.has(dataType)) throw validation(`The following data type is not supported: ${dataType} (Data type names are all lowercase.)`);
  if (dataType === 'aws:ec2:image' && (type !== 'String' || !AMI_ID.test(input.Value))) {
    throw validation(`Parameter value, cannot be validated against aws:ec2:image: ${input.Value} is not an AMI ID of the form ami-12345abcdeEXAMPLE.`);
  }
  const allowedPattern = input.AllowedPattern ?? previous?.allowedPattern;
  if (allowedPattern !== undefined && !matchesPattern(allowedPattern, input.Value)) {
    throw ssmError('ParameterPatternMismatchException', `Parameter value, cannot be validated against allowedPattern: ${allowedPattern}`);
  }
  return {
    version: (previous?.version ?? 0) + 1,
    value: input.Value,
    type,
    keyId: type === 'SecureString' ? (input.KeyId ?? previous?.keyId ?? DEFAULT_KEY) : undefined,
    description: input.Description ?? previous?.description,
    allowedPattern,
    tier: tierOf(input, previous),
    dataType,
    labels: [],
    modifiedAt: now,
    modifiedBy: user,
  };
}

function matchesPattern(pattern: string, value: string): boolean {
  try {
    return new RegExp(`^(?:${pattern})$`).test(value);
  } catch {
    throw ssmError('ParameterPatternMismatchException', `Parameter value, cannot be validated against allowedPattern: ${pattern}`);
  }
}

/**
 * Standard unless asked otherwise; Intelligent-Tiering picks Advanced only for a value too large for Standard; an
 * advanced parameter stays advanced (AWS refuses the downgrade with the wording below).
 */
function tierOf(input: PutParameterRequest, previous: VersionRecord | undefined): Tier {
  const size = input.Value.length;
  const asked = input.Tier ?? 'Standard';
  const tier: Tier = asked === 'Advanced' || (asked === 'Intelligent-Tiering' && size > STANDARD_VALUE) || previous?.tier === 'Advanced' ? 'Advanced' : 'Standard';
  if (previous?.tier === 'Advanced' && asked === 'Standard' && input.Tier !== undefined) {
    throw validation(
      "This parameter uses the advanced-parameter tier. You can't downgrade a parameter from the advanced-parameter tier to the standard-parameter tier. If necessary, you can delete the advanced parameter and recreate it as a standard parameter.",
    );
  }
  if (tier === 'Standard' && size > STANDARD_VALUE) {
    throw validation(
      'Standard tier parameters support a maximum parameter value of 4096 characters. To create a larger parameter value, upgrade the parameter to use the advanced-parameter tier. For more information, see https://docs.aws.amazon.com/systems-manager/latest/userguide/parameter-store-advanced-parameters.html',
    );
  }
  if (size > ADVANCED_VALUE) throw validation('Advanced tier parameters support a maximum parameter value of 8192 characters.');
  return tier;
}

/** Appends a version; past 100, the oldest goes unless it carries a label (then AWS refuses, as worded below). */
function withVersion(current: ParameterRecord, version: VersionRecord): VersionRecord[] {
  const versions = [...current.versions, version];
  if (versions.length <= MAX_VERSIONS) return versions;
  const oldest = versions[0]!;
  if (oldest.labels.length > 0) {
    throw ssmError(
      'ParameterMaxVersionLimitExceeded',
      `You attempted to create a new version of ${current.name} by calling the PutParameter API with the overwrite flag. Version ${oldest.version}, the oldest version, can't be deleted because it has a label associated with it. Move the label to another version of the parameter, and try again.`,
    );
  }
  return versions.slice(1);
}

/** The parameter a name or ARN names (without a selector). */
export async function findParameter(ctx: SsmContext, name: string): Promise<ParameterRecord | undefined> {
  for (const candidate of namesOfArn(ctx.region, ctx.accountId, name) ?? [name]) {
    const found = await ctx.state.get(candidate);
    if (found) return found;
  }
  return undefined;
}

export async function existingParameter(ctx: SsmContext, name: string): Promise<ParameterRecord> {
  const found = await findParameter(ctx, name);
  if (!found) throw parameterNotFound();
  return found;
}

/** The version a selector names: the latest, `name:3`, or `name:label`. */
export async function selected(ctx: SsmContext, given: string): Promise<{ parameter: ParameterRecord; version: VersionRecord; selector?: string }> {
  const selector = parseSelector(given);
  const parameter = await existingParameter(ctx, selector.name);
  if (selector.version !== undefined) {
    const version = parameter.versions.find((v) => v.version === selector.version);
    if (!version) throw versionNotFound(parameter.name, selector.version);
    return { parameter, version, selector: selector.text };
  }
  if (selector.label !== undefined) {
    const version = parameter.versions.find((v) => v.labels.includes(selector.label!));
    if (!version) throw versionNotFound(parameter.name, selector.label);
    return { parameter, version, selector: selector.text };
  }
  return { parameter, version: latest(parameter) };
}

/** A parameter as the Get operations show it: a SecureString's value stays ciphertext-looking without decryption. */
export function parameterView(ctx: SsmContext, parameter: ParameterRecord, version: VersionRecord, decrypt: boolean, selector?: string): Parameter {
  const value = version.type === 'SecureString' && !decrypt ? ciphertextOf(parameter.name, version) : version.value;
  return {
    Name: parameter.name,
    Type: version.type,
    Value: value,
    Version: version.version,
    Selector: selector,
    LastModifiedDate: new Date(version.modifiedAt),
    ARN: parameterArn(ctx.region, ctx.accountId, parameter.name),
    DataType: version.dataType,
  };
}

export async function getParameter(ctx: SsmContext, name: string, decrypt: boolean): Promise<Parameter> {
  if (name.startsWith(SECRET_REFERENCE)) return referencedSecret(ctx, name, decrypt);
  const { parameter, version, selector } = await selected(ctx, name);
  return parameterView(ctx, parameter, version, decrypt, selector);
}

/** Names that do not resolve go to InvalidParameters, as given. */
export async function getParameters(ctx: SsmContext, names: string[], decrypt: boolean): Promise<GetParametersResult> {
  const found: Parameter[] = [];
  const invalid: string[] = [];
  for (const name of new Set(names)) {
    try {
      found.push(await getParameter(ctx, name, decrypt));
    } catch (error) {
      if (!isMissing(error)) throw error;
      invalid.push(name);
    }
  }
  return { Parameters: found, InvalidParameters: invalid };
}

function isMissing(error: unknown): boolean {
  const type = (error as { type?: string }).type;
  return type === 'ParameterNotFound' || type === 'ParameterVersionNotFound';
}

export async function deleteParameter(ctx: SsmContext, name: string): Promise<void> {
  const parameter = await existingParameter(ctx, name);
  if (!(await ctx.state.delete(parameter.name))) throw parameterNotFound();
}

export async function deleteParameters(ctx: SsmContext, names: string[]): Promise<DeleteParametersResult> {
  const deleted: string[] = [];
  const invalid: string[] = [];
  for (const name of new Set(names)) {
    const parameter = await findParameter(ctx, name);
    if (parameter && (await ctx.state.delete(parameter.name))) deleted.push(name);
    else invalid.push(name);
  }
  return { DeletedParameters: deleted, InvalidParameters: invalid };
}

/** Every version, oldest first, 50 a page by default (the model's maximum). */
export async function getParameterHistory(ctx: SsmContext, input: GetParameterHistoryRequest): Promise<GetParameterHistoryResult> {
  const parameter = await existingParameter(ctx, input.Name);
  const start = decodeToken(input.NextToken);
  const limit = input.MaxResults ?? 50;
  const versions = parameter.versions.slice(start, start + limit);
  const next = start + limit < parameter.versions.length ? encodeToken(start + limit) : undefined;
  return { Parameters: versions.map((v) => historyView(ctx, parameter, v, input.WithDecryption ?? false)), NextToken: next };
}

function historyView(ctx: SsmContext, parameter: ParameterRecord, version: VersionRecord, decrypt: boolean): ParameterHistory {
  return {
    Name: parameter.name,
    Type: version.type,
    KeyId: version.keyId,
    LastModifiedDate: new Date(version.modifiedAt),
    LastModifiedUser: version.modifiedBy,
    Description: version.description,
    Value: version.type === 'SecureString' && !decrypt ? ciphertextOf(parameter.name, version) : version.value,
    AllowedPattern: version.allowedPattern,
    Version: version.version,
    Labels: version.labels,
    Tier: version.tier,
    Policies: [],
    DataType: version.dataType,
  };
}
