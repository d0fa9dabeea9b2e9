/**
 * Lambda's REST-JSON API (2015-03-31 and the dated paths beside it), the subset deploy tools and SDK callers use,
 * so the AWS SDKs, the AWS CLI and boto3 work against Flint unchanged.
 *
 * Fidelity.
 * - Matches AWS: paths and methods, status codes (201 create/publish, 202 Event, 204 DryRun and deletes), the
 *   Invoke headers (X-Amz-Executed-Version, X-Amz-Function-Error: Unhandled, X-Amz-Log-Result with the base64 log
 *   tail START…REPORT, X-Amz-Client-Context decoded for the function), FunctionConfiguration and
 *   AliasConfiguration field for field (CodeSha256 base64, LastModified "…T12:00:00.000+0000", list operations
 *   without the state fields), NextMarker paging, and errors as Lambda sends them: x-amzn-ErrorType, x-amzn-RequestId
 *   and the body fields each error type declares ("Message" or "message", "Type", "Reason" and Retry-After for
 *   throttles). Size limits and their messages: 6291456 bytes per invoke request, 1048576 per Event payload,
 *   70167211 per CreateFunction/UpdateFunctionCode request and 52428800 per zip.
 * - Event source mappings (SQS queues, DynamoDB streams) and event invoke configurations (retries, maximum event
 *   age, OnSuccess/OnFailure destinations) answer as Lambda does, with its defaults, wire shapes (LastModified in
 *   epoch seconds, DestinationConfig with empty OnSuccess/OnFailure), states (Creating, Updating, Enabling,
 *   Disabling, Deleting reported by the call that causes them, Enabled/Disabled after) and messages; see
 *   src/events for how they run. DeadLetterConfig is kept and shown in FunctionConfiguration.
 * - Missing: every operation not listed in routes.ts (tags, permissions, layers, function URLs, code signing,
 *   InvokeWithResponseStream) answers UnknownOperationException. Kinesis, Kafka, Amazon MQ and DocumentDB event
 *   sources, event filtering (FilterCriteria), tumbling windows and EventBridge destinations are refused with
 *   InvalidParameterValueException; mapping Tags are accepted and not kept. Code from S3, container images
 *   (PackageType Image) and Layers are refused with InvalidParameterValueException. Tags given to CreateFunction
 *   are not kept; GetFunction returns none.
 * - Differs by design: a function is Active as soon as it is created or updated (State: Active, LastUpdateStatus:
 *   Successful, where Lambda answers Pending/InProgress first). Code.Location is Flint's own download URL
 *   (/_flint/code/<sha256>.zip), not a presigned S3 URL. Architectures reports the host's CPU, which is where the code
 *   runs. RuntimeVersionConfig names a stable digest per runtime identifier. VpcConfig, TracingConfig, KMSKeyArn,
 *   SnapStart and FileSystemConfigs are accepted and ignored. Signatures are not checked
 *   (the gateway's choice), and the caller's region and account are those the node was started with.
 */
import type { Logger, BufferedRequest, BufferedResponse } from '../../core/index.js';
import { LIMITS, toFlintError } from '../../core/index.js';
import type { LambdaBackend } from './backend.js';
import { errorResponse, requestTooLarge, unknownOperation } from './errors.js';
import { matchRoute, type OperationName } from './routes.js';

/** Lambda's limit on a CreateFunction or UpdateFunctionCode request: a 50 MB zip, base64-encoded, plus the rest. */
export const CODE_REQUEST_LIMIT = 70_167_211;

export interface LambdaServiceOptions {
  region: string;
  accountId: string;
  /** Told about failures Lambda would report as ServiceException. */
  logger?: Logger;
}

export class LambdaService {
  constructor(
    private readonly backend: LambdaBackend,
    private readonly options: LambdaServiceOptions,
  ) {}

  /** Invocations take Lambda's 6 MB, code uploads their 70 MB of base64; everything else is small JSON. */
  bodyLimit(method: string, rawPath: string): number {
    const name = matchRoute(method, rawPath)?.name;
    return name === 'CreateFunction' || name === 'UpdateFunctionCode' ? CODE_REQUEST_LIMIT : LIMITS.syncPayloadBytes;
  }

  async handle(req: BufferedRequest): Promise<BufferedResponse> {
    try {
      const match = matchRoute(req.method, req.rawPath);
      if (!match) throw unknownOperation(req.method, req.rawPath);
      if (req.bodyTooLarge) throw tooLarge(match.name, this.bodyLimit(req.method, req.rawPath));
      return await match.operation({
        req,
        params: match.params,
        backend: this.backend,
        registry: this.backend.registry,
        scope: { region: this.options.region, accountId: this.options.accountId },
      });
    } catch (error) {
      const flint = toFlintError(error);
      if (flint.code === 'INTERNAL' || flint.code === 'STORAGE_FAILED') {
        this.options.logger?.error('lambda API request failed', { method: req.method, path: req.rawPath, error: flint.message });
      }
      return errorResponse(flint, req.requestId);
    }
  }
}

function tooLarge(operation: OperationName, limit: number): Error {
  // Lambda's messages name the invoke operation by its internal name.
  const shown = operation === 'Invoke' ? 'InvokeFunction' : operation;
  return requestTooLarge(`Request must be smaller than ${limit} bytes for the ${shown} operation`, { limit });
}
