/** Lambda layers: the registry's records of layer versions and of the layers a function uses. */

/** A layer version as stored: immutable once published, except for its permissions. */
export interface LayerVersion {
  /** The layer's name (the part of its ARN after ":layer:"). */
  name: string;
  /** 1, 2, ...: never reused, even after a version is deleted (as on Lambda). */
  version: number;
  description: string;
  /** Epoch ms. */
  createdDate: number;
  compatibleRuntimes: string[];
  compatibleArchitectures: string[];
  licenseInfo?: string;
  /** Lowercase hex SHA-256 of the layer zip, in the same content store as function code. */
  codeSha256: string;
  codeSize: number;
  /** The manifest app that published it, when one did. */
  app?: string;
}

/** One statement of a layer version's policy (AddLayerVersionPermission). */
export interface LayerStatement {
  sid: string;
  action: string;
  principal: string;
  organizationId?: string;
}

export interface LayerPolicy {
  statements: LayerStatement[];
  revisionId: string;
}

export interface PublishLayerInput {
  name: string;
  zip: Uint8Array;
  description?: string;
  compatibleRuntimes?: string[];
  compatibleArchitectures?: string[];
  licenseInfo?: string;
  app?: string;
}

/**
 * A layer version a function uses, as kept in its configuration: the code digest goes with it, so a function
 * keeps running (and a published version keeps its layers) after the layer version is deleted, as on Lambda.
 */
export interface FunctionLayer {
  name: string;
  version: number;
  codeSha256: string;
  codeSize: number;
}

export interface LayerListFilter {
  compatibleRuntime?: string;
  compatibleArchitecture?: string;
  marker?: string;
  /** 1..50, default 50. */
  maxItems?: number;
}
