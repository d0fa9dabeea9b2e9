import { layerArn, layerNameOf, layerVersionArn, parseLayerVersionArn, type ArnScope, type LayerStatement, type LayerVersion } from '../../functions/index.js';
import type { LayerVersionContentInput, LayerVersionsListItem, PublishLayerVersionResponse } from './api.js';
import { inlineZip } from './code.js';
import type { LambdaContext, LambdaHandler } from './context.js';
import { hexToBase64, lambdaDate } from './views.js';

/**
 * Lambda layers: PublishLayerVersion, GetLayerVersion(ByArn), ListLayers, ListLayerVersions, DeleteLayerVersion and
 * the layer version permissions. Shapes and messages are Lambda's (LocalStack's recordings of AWS,
 * test_lambda_api.snapshot.json, TestLambdaLayer); storage and the checks are the registry's (functions/registry).
 */

export const publishLayerVersion: LambdaHandler<'PublishLayerVersion'> = async (input, ctx) => {
  const zip = await layerZip(input.Content, ctx);
  const version = await ctx.registry.layers.publish({
    name: layerNameOf(input.LayerName),
    zip,
    description: input.Description,
    compatibleRuntimes: input.CompatibleRuntimes,
    compatibleArchitectures: input.CompatibleArchitectures,
    licenseInfo: input.LicenseInfo,
  });
  return layerVersionView(version, ctx);
};

export const getLayerVersion: LambdaHandler<'GetLayerVersion'> = async (input, ctx) =>
  layerVersionView(await ctx.registry.layers.get(layerNameOf(input.LayerName), input.VersionNumber), ctx);

export const getLayerVersionByArn: LambdaHandler<'GetLayerVersionByArn'> = async (input, ctx) => {
  const ref = parseLayerVersionArn(input.Arn);
  if (ref.region !== ctx.scope.region || ref.accountId !== ctx.scope.accountId) throw ctx.errors.user('ResourceNotFoundException', 'The resource you requested does not exist.');
  return layerVersionView(await ctx.registry.layers.get(ref.name, ref.version), ctx);
};

export const listLayers: LambdaHandler<'ListLayers'> = async (input, ctx) => {
  const page = await ctx.registry.layers.listLayers(filterOf(input));
  return {
    ...(page.nextMarker !== undefined ? { NextMarker: page.nextMarker } : {}),
    Layers: page.items.map((v) => ({ LayerName: v.name, LayerArn: layerArn(ctx.scope, v.name), LatestMatchingVersion: listItem(v, ctx.scope) })),
  };
};

export const listLayerVersions: LambdaHandler<'ListLayerVersions'> = async (input, ctx) => {
  const page = await ctx.registry.layers.listVersions(layerNameOf(input.LayerName), filterOf(input));
  return {
    ...(page.nextMarker !== undefined ? { NextMarker: page.nextMarker } : {}),
    LayerVersions: page.items.map((v) => listItem(v, ctx.scope)),
  };
};

export const deleteLayerVersion: LambdaHandler<'DeleteLayerVersion'> = async (input, ctx) => {
  await ctx.registry.layers.delete(layerNameOf(input.LayerName), input.VersionNumber);
  return {};
};

export const addLayerVersionPermission: LambdaHandler<'AddLayerVersionPermission'> = async (input, ctx) => {
  const name = layerNameOf(input.LayerName);
  if (input.OrganizationId !== undefined && input.Principal !== '*') {
    throw ctx.errors.invalidValue('OrganizationId can only be specified when the Principal is *.');
  }
  const statement: LayerStatement = {
    sid: input.StatementId,
    action: input.Action,
    principal: input.Principal,
    ...(input.OrganizationId !== undefined ? { organizationId: input.OrganizationId } : {}),
  };
  const added = await ctx.registry.layers.addPermission(name, input.VersionNumber, statement, input.RevisionId);
  const resource = layerVersionArn(ctx.scope, name, input.VersionNumber);
  return { Statement: JSON.stringify(statementView(added.statement, resource)), RevisionId: added.revisionId };
};

export const removeLayerVersionPermission: LambdaHandler<'RemoveLayerVersionPermission'> = async (input, ctx) => {
  await ctx.registry.layers.removePermission(layerNameOf(input.LayerName), input.VersionNumber, input.StatementId, input.RevisionId);
  return {};
};

export const getLayerVersionPolicy: LambdaHandler<'GetLayerVersionPolicy'> = async (input, ctx) => {
  const name = layerNameOf(input.LayerName);
  const policy = await ctx.registry.layers.getPolicy(name, input.VersionNumber);
  const resource = layerVersionArn(ctx.scope, name, input.VersionNumber);
  const document = { Version: '2012-10-17', Id: 'default', Statement: policy.statements.map((s) => statementView(s, resource)) };
  return { Policy: JSON.stringify(document), RevisionId: policy.revisionId };
};

/**
 * A function's Layers as CreateFunction and UpdateFunctionConfiguration name them, in the registry's scope. Lambda
 * takes layers of the function's own region only ("Layers are not in the same region as the function. ..."); the
 * caller's region is that region here, and the registry names the node's.
 */
export function layersForRegistry(arns: string[] | undefined, ctx: LambdaContext): string[] | undefined {
  if (arns === undefined) return undefined;
  const node = ctx.registry.scope;
  return arns.map((arn) => {
    const ref = parseLayerVersionArn(arn);
    if (ref.region !== ctx.scope.region) {
      throw ctx.errors.invalidValue(`Layers are not in the same region as the function. Layers are expected to be in region ${ctx.scope.region}.`);
    }
    return ref.accountId === node.accountId ? layerVersionArn(node, ref.name, ref.version) : arn;
  });
}

/** The layer operations, for the service's handler table. */
export const LAYER_HANDLERS = {
  PublishLayerVersion: publishLayerVersion,
  GetLayerVersion: getLayerVersion,
  GetLayerVersionByArn: getLayerVersionByArn,
  ListLayers: listLayers,
  ListLayerVersions: listLayerVersions,
  DeleteLayerVersion: deleteLayerVersion,
  AddLayerVersionPermission: addLayerVersionPermission,
  RemoveLayerVersionPermission: removeLayerVersionPermission,
  GetLayerVersionPolicy: getLayerVersionPolicy,
};

/**
 * The layer's zip: inline, or an object of the node's own S3 (Content.S3Bucket, S3Key, S3ObjectVersion), refused as
 * Lambda refuses an object it cannot read ("Error occurred while GetObject. S3 Error Code: NoSuchKey. ...").
 */
async function layerZip(content: LayerVersionContentInput, ctx: LambdaContext): Promise<Buffer> {
  const read = ctx.backend.readS3Object;
  if (content.S3Bucket === undefined || content.S3Key === undefined || content.ZipFile !== undefined || !read) return inlineZip(content, ctx.errors);
  const found = await read(content.S3Bucket, content.S3Key, content.S3ObjectVersion);
  if (found === 'NoSuchBucket') throw ctx.errors.invalidValue('Error occurred while GetObject. S3 Error Code: NoSuchBucket. S3 Error Message: The specified bucket does not exist');
  if (found === 'NoSuchKey') throw ctx.errors.invalidValue('Error occurred while GetObject. S3 Error Code: NoSuchKey. S3 Error Message: The specified key does not exist.');
  return inlineZip({ ZipFile: found }, ctx.errors);
}

// ---- views --------------------------------------------------------------------------------------------------

function filterOf(input: { CompatibleRuntime?: string; CompatibleArchitecture?: string; Marker?: string; MaxItems?: number }) {
  return { compatibleRuntime: input.CompatibleRuntime, compatibleArchitecture: input.CompatibleArchitecture, marker: input.Marker, maxItems: input.MaxItems };
}

/** PublishLayerVersion's, GetLayerVersion's and GetLayerVersionByArn's answer. */
function layerVersionView(v: LayerVersion, ctx: LambdaContext): PublishLayerVersionResponse {
  return {
    // Flint serves the zip itself where Lambda hands out a presigned S3 URL.
    Content: { Location: `${ctx.request.baseUrl}/_flint/code/${v.codeSha256}.zip`, CodeSha256: hexToBase64(v.codeSha256), CodeSize: v.codeSize },
    LayerArn: layerArn(ctx.scope, v.name),
    LayerVersionArn: layerVersionArn(ctx.scope, v.name, v.version),
    Description: v.description,
    CreatedDate: lambdaDate(v.createdDate),
    Version: v.version,
    CompatibleRuntimes: v.compatibleRuntimes,
    ...(v.licenseInfo !== undefined ? { LicenseInfo: v.licenseInfo } : {}),
    CompatibleArchitectures: v.compatibleArchitectures,
  };
}

function listItem(v: LayerVersion, scope: ArnScope): LayerVersionsListItem {
  return {
    LayerVersionArn: layerVersionArn(scope, v.name, v.version),
    Version: v.version,
    Description: v.description,
    CreatedDate: lambdaDate(v.createdDate),
    CompatibleRuntimes: v.compatibleRuntimes,
    ...(v.licenseInfo !== undefined ? { LicenseInfo: v.licenseInfo } : {}),
    CompatibleArchitectures: v.compatibleArchitectures,
  };
}

/**
 * A statement as Lambda renders it: Principal "*" as given, an account (or its root ARN) as {"AWS": root ARN}, an
 * organization as a StringEquals aws:PrincipalOrgID condition.
 */
function statementView(s: LayerStatement, resource: string): Record<string, unknown> {
  const principal = s.principal === '*' ? '*' : { AWS: /^\d{12}$/.test(s.principal) ? `arn:aws:iam::${s.principal}:root` : s.principal };
  return {
    Sid: s.sid,
    Effect: 'Allow',
    Principal: principal,
    Action: s.action,
    Resource: resource,
    ...(s.organizationId !== undefined ? { Condition: { StringEquals: { 'aws:PrincipalOrgID': s.organizationId } } } : {}),
  };
}
