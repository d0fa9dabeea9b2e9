import { FlintError, isFlintError } from '../../core/index.js';
import type { LambdaHandler } from './context.js';
import { base64ToHex, functionConfiguration, hexToBase64 } from './views.js';

/** PublishVersion and ListVersionsByFunction. */

export const publishVersion: LambdaHandler<'PublishVersion'> = async (input, ctx) => {
  const given = input.CodeSha256;
  // The registry compares hex digests; a value that is not a base64 SHA-256 can match nothing, so it goes through as is.
  const codeSha256 = given === undefined ? undefined : (base64ToHex(given) ?? given);
  try {
    const config = await ctx.registry.publishVersion(input.FunctionName, { codeSha256, description: input.Description, revisionId: input.RevisionId });
    return functionConfiguration(config, ctx.scope, { arnQualifier: config.version });
  } catch (error) {
    throw given === undefined ? error : inBase64(error, given);
  }
};

export const listVersionsByFunction: LambdaHandler<'ListVersionsByFunction'> = async (input, ctx) => {
  const found = await ctx.registry.listVersions(input.FunctionName, { marker: input.Marker, maxItems: input.MaxItems });
  const items = found.items.map((config) => functionConfiguration(config, ctx.scope, { list: true, arnQualifier: config.version }));
  return { NextMarker: found.nextMarker, Versions: items };
};

/** The registry words a CodeSha256 mismatch with hex digests; Lambda shows both digests as the caller sees them. */
function inBase64(error: unknown, given: string): unknown {
  if (!isFlintError(error, 'INVALID_PARAMETER') || error.details.field !== 'codeSha256' || typeof error.details.expected !== 'string') return error;
  const current = hexToBase64(error.details.expected);
  return new FlintError(
    'INVALID_PARAMETER',
    `CodeSHA256 (${given}) is different from current CodeSHA256 in $LATEST (${current}). Please try again with the CodeSHA256 in $LATEST.`,
    { ...error.details, expected: current, actual: given },
    { cause: error },
  );
}
