import { randomUUID } from 'node:crypto';
import type { Endpoint, PlatformApplication } from './api.js';
import { arnParts, partitionOf, type Scope } from './arns.js';
import { decodeToken, encodeToken, type SnsContext } from './context.js';
import type { RecordedDelivery } from './delivery-items.js';
import { invalidParameter, snsError } from './errors.js';
import { isoTime } from './formats.js';
import { recordDirect } from './sms.js';

/**
 * Mobile push: platform applications and their endpoints are stored as SNS keeps them; nothing is pushed to a
 * device. Publishing to an endpoint (directly by TargetArn, or through an `application` subscription) records the
 * payload for the user to read back (node-pages.ts). Messages and codes are AWS's, from LocalStack's
 * TestSNSPlatformApplicationCrud and TestSNSPlatformEndpointCrud recordings.
 */
const APPLICATIONS = 'sns-platform-applications';
const ENDPOINTS = 'sns-platform-endpoints';
const PAGE_SIZE = 100;
const PLATFORMS = new Set(['ADM', 'APNS', 'APNS_SANDBOX', 'APNS_VOIP', 'APNS_VOIP_SANDBOX', 'BAIDU', 'GCM', 'MACOS', 'MACOS_SANDBOX', 'MPNS', 'WNS']);
/** Kept, never shown: GetPlatformApplicationAttributes does not return credentials. */
const SECRET_ATTRIBUTES = new Set(['PlatformCredential', 'PlatformPrincipal']);
const ENDPOINT_ATTRIBUTES = new Set(['CustomUserData', 'Enabled', 'Token']);
const MAX_CUSTOM_USER_DATA = 2048;
const APPLICATION_NAME = /^[A-Za-z0-9_.-]+$/;

interface ApplicationRecord {
  arn: string;
  name: string;
  platform: string;
  attributes: Record<string, string>;
}

interface EndpointRecord {
  arn: string;
  applicationArn: string;
  attributes: Record<string, string>;
}

function applicationArn(scope: Scope, platform: string, name: string): string {
  return `arn:${partitionOf(scope.region)}:sns:${scope.region}:${scope.accountId}:app/${platform}/${name}`;
}

function applicationNotFound(): Error {
  return snsError('NotFoundException', 'PlatformApplication does not exist');
}

function endpointNotFound(): Error {
  return snsError('NotFoundException', 'Endpoint does not exist');
}

// ---- applications -------------------------------------------------------------------------------------------------

export async function createPlatformApplication(ctx: SnsContext, name: string, platform: string, attributes: Record<string, string>): Promise<string> {
  if (name === '') throw invalidParameter(' Reason: cannot be empty');
  if (name.length > 256) throw invalidParameter(`${name} Reason: must be at most 256 characters long`);
  if (!APPLICATION_NAME.test(name)) throw invalidParameter(`${name} Reason: must contain only characters 'a'-'z', 'A'-'Z', '0'-'9', '_', '-', and '.'`);
  if (!PLATFORMS.has(platform)) throw invalidParameter(`Platform Reason: ${platform} is not supported`);
  checkCredentials(attributes);
  const arn = applicationArn(ctx.scope, platform, name);
  const existing = await ctx.metadata.get<ApplicationRecord>(APPLICATIONS, arn);
  const record: ApplicationRecord = { arn, name, platform, attributes: { Enabled: 'true', ...existing?.value.attributes, ...attributes } };
  await ctx.metadata.put(APPLICATIONS, arn, record);
  return arn;
}

function checkCredentials(attributes: Record<string, string>): void {
  const principal = attributes.PlatformPrincipal !== undefined;
  const credential = attributes.PlatformCredential !== undefined;
  if (principal && !credential) throw invalidParameter('Attributes Reason: PlatformPrincipal attribute provided without PlatformCredential');
  if (credential && !principal) throw invalidParameter('Attributes Reason: PlatformCredential attribute provided without PlatformPrincipal');
}

async function application(ctx: SnsContext, arn: string): Promise<ApplicationRecord> {
  arnParts(arn, 'PlatformApplicationArn');
  const record = await ctx.metadata.get<ApplicationRecord>(APPLICATIONS, arn);
  if (!record) throw applicationNotFound();
  return record.value;
}

function shownAttributes(attributes: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(attributes).filter(([name]) => !SECRET_ATTRIBUTES.has(name)));
}

export async function platformApplicationAttributes(ctx: SnsContext, arn: string): Promise<Record<string, string>> {
  return shownAttributes((await application(ctx, arn)).attributes);
}

export async function setPlatformApplicationAttributes(ctx: SnsContext, arn: string, attributes: Record<string, string>): Promise<void> {
  const record = await application(ctx, arn);
  await ctx.metadata.put(APPLICATIONS, arn, { ...record, attributes: { ...record.attributes, ...attributes } });
}

export async function listPlatformApplications(ctx: SnsContext, nextToken: string | undefined): Promise<{ applications: PlatformApplication[]; nextToken?: string }> {
  const page = await ctx.metadata.list<ApplicationRecord>(APPLICATIONS, { after: decodeToken(nextToken), limit: PAGE_SIZE + 1 });
  const shown = page.slice(0, PAGE_SIZE).map((doc) => ({ PlatformApplicationArn: doc.value.arn, Attributes: shownAttributes(doc.value.attributes) }));
  return page.length > PAGE_SIZE ? { applications: shown, nextToken: encodeToken(shown[shown.length - 1]!.PlatformApplicationArn) } : { applications: shown };
}

/** Deleting an application deletes its endpoints; deleting one that does not exist succeeds. */
export async function deletePlatformApplication(ctx: SnsContext, arn: string): Promise<void> {
  arnParts(arn, 'PlatformApplicationArn');
  for (const doc of await ctx.metadata.list<EndpointRecord>(ENDPOINTS, { prefix: endpointPrefix(arn) })) await ctx.metadata.delete(ENDPOINTS, doc.key);
  await ctx.metadata.delete(APPLICATIONS, arn);
}

// ---- endpoints ----------------------------------------------------------------------------------------------------

/** `…:app/GCM/name` → `…:endpoint/GCM/name/`, under which the application's endpoints are kept. */
function endpointPrefix(appArn: string): string {
  return `${appArn.replace(/:app\//, ':endpoint/')}/`;
}

function checkEndpointAttributes(attributes: Record<string, string>): void {
  for (const [name, value] of Object.entries(attributes)) {
    if (!ENDPOINT_ATTRIBUTES.has(name)) throw invalidParameter(`Attributes Reason: Invalid attribute name: ${name}`);
    if (name === 'CustomUserData' && Buffer.byteLength(value, 'utf8') > MAX_CUSTOM_USER_DATA) {
      throw invalidParameter(`Attributes Reason: Invalid value for attribute: CustomUserData: must be at most ${MAX_CUSTOM_USER_DATA} bytes long in UTF-8 encoding`);
    }
  }
}

/** Idempotent per token: the same token with the same attributes answers the existing endpoint. */
export async function createPlatformEndpoint(ctx: SnsContext, appArn: string, token: string, customUserData: string | undefined, attributes: Record<string, string> = {}): Promise<string> {
  const app = await application(ctx, appArn);
  checkEndpointAttributes(attributes);
  // CustomUserData may come both as a parameter and as an attribute; the attribute wins (test_create_platform_endpoint_double_custom_data).
  const wanted: Record<string, string> = { ...(customUserData !== undefined ? { CustomUserData: customUserData } : {}), ...attributes };
  const prefix = endpointPrefix(app.arn);
  const existing = (await ctx.metadata.list<EndpointRecord>(ENDPOINTS, { prefix })).find((doc) => doc.value.attributes.Token === token);
  if (existing) {
    const same = Object.entries(wanted).every(([name, value]) => existing.value.attributes[name] === value);
    if (!same) throw invalidParameter(`Token Reason: Endpoint ${existing.value.arn} already exists with the same Token, but different attributes.`);
    return existing.value.arn;
  }
  const record: EndpointRecord = { arn: `${prefix}${randomUUID()}`, applicationArn: app.arn, attributes: { Enabled: 'true', ...wanted, Token: token } };
  await ctx.metadata.put(ENDPOINTS, record.arn, record);
  return record.arn;
}

function checkEndpointArn(arn: string): void {
  const parts = arnParts(arn, 'EndpointArn');
  if ((parts[5] ?? '').split('/').length !== 4) throw invalidParameter('EndpointArn Reason: Wrong number of slashes in relative portion of the ARN.');
}

async function endpoint(ctx: SnsContext, arn: string): Promise<EndpointRecord> {
  checkEndpointArn(arn);
  const record = await ctx.metadata.get<EndpointRecord>(ENDPOINTS, arn);
  if (!record) throw endpointNotFound();
  return record.value;
}

export async function endpointAttributes(ctx: SnsContext, arn: string): Promise<Record<string, string>> {
  return (await endpoint(ctx, arn)).attributes;
}

export async function setEndpointAttributes(ctx: SnsContext, arn: string, attributes: Record<string, string>): Promise<void> {
  const record = await endpoint(ctx, arn);
  checkEndpointAttributes(attributes);
  await ctx.metadata.put(ENDPOINTS, arn, { ...record, attributes: { ...record.attributes, ...attributes } });
}

/** Deleting an endpoint leaves its subscriptions (as SNS does: test_delete_platform_endpoint_with_subscription). */
export async function deleteEndpoint(ctx: SnsContext, arn: string): Promise<void> {
  checkEndpointArn(arn);
  await ctx.metadata.delete(ENDPOINTS, arn);
}

export async function listEndpoints(ctx: SnsContext, appArn: string, nextToken: string | undefined): Promise<{ endpoints: Endpoint[]; nextToken?: string }> {
  const app = await application(ctx, appArn);
  const page = await ctx.metadata.list<EndpointRecord>(ENDPOINTS, { prefix: endpointPrefix(app.arn), after: decodeToken(nextToken), limit: PAGE_SIZE + 1 });
  const shown = page.slice(0, PAGE_SIZE).map((doc) => ({ EndpointArn: doc.value.arn, Attributes: doc.value.attributes }));
  return page.length > PAGE_SIZE ? { endpoints: shown, nextToken: encodeToken(shown[shown.length - 1]!.EndpointArn) } : { endpoints: shown };
}

/** Publish with an endpoint's TargetArn: the payload is recorded unless the endpoint is disabled. */
export async function publishToEndpoint(ctx: SnsContext, arn: string, text: string): Promise<string> {
  const record = await ctx.metadata.get<EndpointRecord>(ENDPOINTS, arn);
  if (!record) throw invalidParameter('TargetArn Reason: No endpoint found for the target arn specified');
  if (record.value.attributes.Enabled === 'false') throw snsError('EndpointDisabledException', 'Endpoint is disabled');
  const messageId = randomUUID();
  const delivery: RecordedDelivery = { id: messageId, protocol: 'application', endpoint: arn, type: 'Notification', messageId, message: text, timestamp: isoTime(ctx.clock.now()) };
  await recordDirect(ctx, delivery);
  return messageId;
}
