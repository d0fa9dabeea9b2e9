/**
 * The function registry and code packaging: bundling and zipping code, content-addressed packages, $LATEST,
 * versions, aliases, reserved concurrency and resolving invocation targets.
 */
export { packageFunction, sha256Hex, type CodePackage, type PackageInput } from './packaging/package.js';
export { layerNodePackages, packageLayer } from './packaging/layer.js';
export { sdkImportsOfFolder } from './packaging/sdk-imports.js';
export { extractPackage } from './zip/extract.js';
export { readZip, type ZipEntry, type ZipEntryKind } from './zip/read.js';
export { createZip, type ZipFileInput } from './zip/write.js';
export { validateUploadedZip, MAX_UNZIPPED_BYTES, INVALID_ZIP_MESSAGE } from './zip/validate.js';
export { FunctionRegistry, type FunctionRegistryOptions } from './registry/registry.js';
export type { LayerVersions } from './registry/layers.js';
export { MAX_FUNCTION_LAYERS } from './registry/layers.js';
export { layerArn, layerVersionArn, parseLayerVersionArn, layerNameOf, LAYER_VERSION_ARN_PATTERN, type LayerVersionRef } from './registry/layer-arn.js';
export type { FunctionLayer, LayerListFilter, LayerPolicy, LayerStatement, LayerVersion, PublishLayerInput } from './registry/layer-types.js';
export { functionArn, parseFunctionRef, LATEST, type ArnScope, type FunctionRef } from './registry/arn.js';
export type { InvalidKind } from './registry/errors.js';
export type { PublishOptions } from './registry/versions.js';
export type { AddPermissionOptions, PolicyWriteOptions } from './registry/policies.js';
export { MAX_TAGS } from './registry/tags.js';
export type { FunctionUrlCors, FunctionUrlRecord, FunctionUrlSettings, FunctionUrls } from './registry/urls.js';
export type { ProvisionedConfig } from './registry/provisioned.js';
export type {
  AliasConfig,
  ConfigurationPatch,
  CreateAliasInput,
  CreateFunctionInput,
  DeployInput,
  FunctionConfig,
  FunctionPolicy,
  FunctionSettings,
  ListOptions,
  Page,
  PermissionStatement,
  RegistryEvent,
  ResolvedTarget,
  RoutingConfig,
  UpdateAliasInput,
} from './registry/types.js';
