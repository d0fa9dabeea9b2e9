import type { DescribeParametersRequest, DescribeParametersResult, GetParametersByPathRequest, GetParametersByPathResult, ParameterMetadata, ParameterStringFilter, ParametersFilter } from './api.js';
import { ssmError, validation } from './errors.js';
import { checkPath, parameterArn, underPath } from './names.js';
import { parameterView } from './parameters.js';
import { pageOf } from './paging.js';
import type { SsmContext } from './state.js';
import { latest, type ParameterRecord, type VersionRecord } from './types.js';

/** A parameter and the version a query shows of it (the latest, or the one a Label filter picked). */
interface Match {
  parameter: ParameterRecord;
  version: VersionRecord;
}

/** Filter keys GetParametersByPath takes (AWS's documentation: Path, Name and Tier are DescribeParameters' only). */
const BY_PATH_KEYS = ['Type', 'KeyId', 'Label', 'DataType'];
const DESCRIBE_KEYS = ['Name', 'Type', 'KeyId', 'Path', 'Tier', 'Label', 'DataType'];

/** Parameters under a path, one level or every level below, in name order, at most 10 a page (the model's maximum). */
export async function getParametersByPath(ctx: SsmContext, input: GetParametersByPathRequest): Promise<GetParametersByPathResult> {
  checkPath(input.Path);
  const filters = input.ParameterFilters ?? [];
  for (const filter of filters) checkFilter(filter, BY_PATH_KEYS);
  const recursive = input.Recursive ?? false;
  const under = (await ctx.state.list('/')).filter((p) => underPath(p.name, input.Path, recursive));
  const matches = select(under, filters);
  const { items, nextToken } = pageOf(matches, input.NextToken, input.MaxResults ?? 10);
  return { Parameters: items.map((m) => parameterView(ctx, m.parameter, m.version, input.WithDecryption ?? false)), NextToken: nextToken };
}

/** Metadata of every parameter that passes the filters (either the older Filters or ParameterFilters, not both). */
export async function describeParameters(ctx: SsmContext, input: DescribeParametersRequest): Promise<DescribeParametersResult> {
  // AWS's wording.
  if (input.Filters?.length && input.ParameterFilters?.length) throw validation('You can use either Filters or ParameterFilters in a single request.');
  const filters = [...(input.ParameterFilters ?? []), ...(input.Filters ?? []).map(fromLegacy)];
  for (const filter of filters) checkFilter(filter, DESCRIBE_KEYS);
  const matches = select(await ctx.state.list(), filters);
  const { items, nextToken } = pageOf(matches, input.NextToken, input.MaxResults ?? 10);
  return { Parameters: items.map((m) => metadataView(ctx, m)), NextToken: nextToken };
}

/** The older Filters (Name, Type, KeyId): each value an exact match. */
function fromLegacy(filter: ParametersFilter): ParameterStringFilter {
  return { Key: filter.Key, Option: 'Equals', Values: filter.Values };
}

function checkFilter(filter: ParameterStringFilter, keys: string[]): void {
  if (!keys.includes(filter.Key) && !filter.Key.startsWith('tag:')) {
    // Flint's wording, naming what is valid.
    throw ssmError('InvalidFilterKey', `The following filter key is not valid: ${filter.Key}. Valid filter keys include: [${keys.join(', ')}, tag:<key>].`);
  }
  const option = filter.Option ?? 'Equals';
  const allowed = filter.Key === 'Path' ? ['Recursive', 'OneLevel'] : filter.Key === 'Name' ? ['Equals', 'BeginsWith', 'Contains'] : filter.Key === 'Label' || filter.Key.startsWith('tag:') ? ['Equals'] : ['Equals', 'BeginsWith'];
  if (!allowed.includes(option)) {
    throw ssmError('InvalidFilterOption', `The filter option is not valid. Valid options for ${filter.Key} are: [${allowed.join(', ')}].`);
  }
  if (filter.Key === 'Path') for (const path of filter.Values ?? []) checkPath(path);
  if (filter.Key !== 'Path' && !filter.Key.startsWith('tag:') && !filter.Values?.length) {
    throw ssmError('InvalidFilterValue', `The filter value is not valid. Specify a value for the ${filter.Key} filter.`);
  }
}

function select(parameters: ParameterRecord[], filters: ParameterStringFilter[]): Match[] {
  const matches: Match[] = [];
  for (const parameter of parameters) {
    let version: VersionRecord | undefined = latest(parameter);
    for (const filter of filters) {
      if (!version) break;
      version = filter.Key === 'Label' ? parameter.versions.find((v) => v.labels.some((l) => filter.Values?.includes(l))) : passes(parameter, version, filter) ? version : undefined;
    }
    if (version) matches.push({ parameter, version });
  }
  return matches;
}

function passes(parameter: ParameterRecord, version: VersionRecord, filter: ParameterStringFilter): boolean {
  const values = filter.Values ?? [];
  const option = filter.Option ?? 'Equals';
  if (filter.Key === 'Path') {
    const paths = values.length ? values : ['/'];
    return paths.some((path) => underPath(parameter.name, path, option === 'Recursive'));
  }
  if (filter.Key.startsWith('tag:')) {
    const tag = parameter.tags.find((t) => t.Key === filter.Key.slice('tag:'.length));
    return tag !== undefined && (values.length === 0 || values.includes(tag.Value));
  }
  const field = fieldOf(parameter, version, filter.Key);
  if (field === undefined) return false;
  return values.some((value) => {
    if (option === 'BeginsWith') return field.startsWith(value) || (filter.Key === 'Name' && field.startsWith(`/${value}`));
    if (option === 'Contains') return field.includes(value);
    return field === value || (filter.Key === 'Name' && (field === `/${value}` || `/${field}` === value));
  });
}

function fieldOf(parameter: ParameterRecord, version: VersionRecord, key: string): string | undefined {
  switch (key) {
    case 'Name':
      return parameter.name;
    case 'Type':
      return version.type;
    case 'KeyId':
      return version.keyId;
    case 'Tier':
      return version.tier;
    case 'DataType':
      return version.dataType;
    default:
      return undefined;
  }
}

function metadataView(ctx: SsmContext, { parameter }: Match): ParameterMetadata {
  const version = latest(parameter);
  return {
    Name: parameter.name,
    ARN: parameterArn(ctx.region, ctx.accountId, parameter.name),
    Type: version.type,
    KeyId: version.keyId,
    LastModifiedDate: new Date(version.modifiedAt),
    LastModifiedUser: version.modifiedBy,
    Description: version.description,
    AllowedPattern: version.allowedPattern,
    Version: version.version,
    Tier: version.tier,
    Policies: [],
    DataType: version.dataType,
  };
}
