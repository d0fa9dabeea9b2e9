import { FlintError, isFlintError } from '../../core/index.js';
import { json, pathParam, queryInteger, queryParam, type Operation } from './http.js';
import { publishVersionBody, parseBody } from './schemas.js';
import { base64ToHex, functionConfiguration, hexToBase64, page } from './wire.js';

/** PublishVersion and ListVersionsByFunction. */

export const publishVersion: Operation = async (ctx) => {
  const name = pathParam(ctx, 'FunctionName');
  const body = parseBody(ctx.req, publishVersionBody);
  const given = body.CodeSha256;
  // The registry compares hex digests; a value that is not a base64 SHA-256 can match nothing, so it goes through as is.
  const codeSha256 = given === undefined ? undefined : (base64ToHex(given) ?? given);
  try {
    const config = await ctx.registry.publishVersion(name, { codeSha256, description: body.Description, revisionId: body.RevisionId });
    return json(ctx.req, 201, functionConfiguration(config, ctx.scope, { arnQualifier: config.version }));
  } catch (error) {
    throw given === undefined ? error : inBase64(error, given);
  }
};

export const listVersions: Operation = async (ctx) => {
  const found = await ctx.registry.listVersions(pathParam(ctx, 'FunctionName'), {
    marker: queryParam(ctx.req, 'Marker'),
    maxItems: queryInteger(ctx.req, 'MaxItems', 'maxItems'),
  });
  const items = found.items.map((config) => functionConfiguration(config, ctx.scope, { list: true, arnQualifier: config.version }));
  return json(ctx.req, 200, page('Versions', items, found.nextMarker));
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
