import type { Filter, ListSecretsRequest, ListSecretsResponse } from './api.js';
import { pageAt } from './paging.js';
import { secretView } from './secrets.js';
import type { SecretsContext } from './state.js';
import type { SecretRecord } from './types.js';

/**
 * ListSecrets: secrets not scheduled for deletion (all with IncludePlannedDeletion), filtered by AWS's keys (name,
 * description, tag-key, tag-value, primary-region, owning-service, all): each value a prefix, "!" before it negates;
 * values of one filter match any, filters all. Sorted by creation (newest first unless SortOrder asc), 100 a page.
 */
export async function listSecrets(ctx: SecretsContext, input: ListSecretsRequest): Promise<ListSecretsResponse> {
  const now = ctx.clock.now();
  const secrets = (await ctx.state.list())
    .filter((s) => s.deletionDate === undefined || s.deletionDate > now)
    .filter((s) => input.IncludePlannedDeletion || s.deletedAt === undefined)
    .filter((s) => (input.Filters ?? []).every((filter) => passes(s, filter)));
  const sorted = sortSecrets(secrets, input.SortBy, input.SortOrder);
  const { items, nextToken } = pageAt(sorted, input.NextToken, input.MaxResults ?? 100);
  return { SecretList: items.map(secretView), NextToken: nextToken };
}

function sortSecrets(secrets: SecretRecord[], by: string | undefined, order: string | undefined): SecretRecord[] {
  const key = (s: SecretRecord): string | number => (by === 'name' ? s.name : by === 'last-changed-date' ? s.changedAt : by === 'last-accessed-date' ? (s.accessedAt ?? 0) : s.createdAt);
  const sign = order === 'asc' ? 1 : -1;
  return [...secrets].sort((a, b) => (key(a) < key(b) ? -sign : key(a) > key(b) ? sign : a.name.localeCompare(b.name)));
}

function passes(secret: SecretRecord, filter: Filter): boolean {
  const fields = fieldsOf(secret, filter.Key ?? 'all');
  const values = filter.Values ?? [];
  const positive = values.filter((v) => !v.startsWith('!'));
  const negative = values.filter((v) => v.startsWith('!')).map((v) => v.slice(1));
  if (negative.some((v) => fields.some((f) => f.startsWith(v)))) return false;
  return positive.length === 0 || positive.some((v) => fields.some((f) => f.startsWith(v)));
}

function fieldsOf(secret: SecretRecord, key: string): string[] {
  const tagKeys = secret.tags.map((t) => t.Key ?? '');
  const tagValues = secret.tags.map((t) => t.Value ?? '');
  switch (key) {
    case 'name':
      return [secret.name];
    case 'description':
      return secret.description === undefined ? [] : [secret.description];
    case 'tag-key':
      return tagKeys;
    case 'tag-value':
      return tagValues;
    case 'primary-region':
    case 'owning-service':
      return [];
    default:
      return [secret.name, ...(secret.description === undefined ? [] : [secret.description]), ...tagKeys, ...tagValues];
  }
}
