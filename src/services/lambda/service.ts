/**
 * Lambda's REST-JSON API (2015-03-31 and the dated paths beside it), the subset deploy tools and SDK callers use,
 * so the AWS SDKs, the AWS CLI and boto3 work against Flint unchanged. It runs on the protocol kit: routes, URI
 * labels, query and header members, the Invoke payload, output headers and statuses come from Lambda's model, and
 * the handlers below see typed input and return typed output.
 *
 * Fidelity.
 * - Matches AWS: paths and methods, status codes (201 create/publish, 202 Event, 204 DryRun and deletes), the
 *   Invoke headers (X-Amz-Executed-Version, X-Amz-Function-Error: Unhandled, X-Amz-Log-Result with the base64 log
 *   tail START…REPORT, X-Amz-Client-Context decoded for the function), FunctionConfiguration and
 *   AliasConfiguration field for field (CodeSha256 base64, LastModified "…T12:00:00.000+0000", list operations
 *   without the state fields), NextMarker paging, and errors as Lambda sends them: x-amzn-ErrorType, x-amzn-RequestId
 *   and the body fields each error type declares ("Message" or "message", "Type", "Reason" and Retry-After for
 *   throttles). Requests are checked against the model's constraints (required members, lengths, ranges, patterns,
 *   enums) and refused with ValidationException worded as Lambda words it ("1 validation error detected: Value
 *   'bad name' at 'functionName' failed to satisfy constraint: ..."), before the service's own checks. Size limits
 *   and their messages: 6291456 bytes per invoke request, 1048576 per Event payload, 70167211 per
 *   CreateFunction/UpdateFunctionCode request and 52428800 per zip.
 * - Event source mappings (SQS queues, DynamoDB streams) and event invoke configurations (retries, maximum event
 *   age, OnSuccess/OnFailure destinations) answer as Lambda does, with its defaults, wire shapes (LastModified in
 *   epoch seconds, DestinationConfig with empty OnSuccess/OnFailure), states (Creating, Updating, Enabling,
 *   Disabling, Deleting reported by the call that causes them, Enabled/Disabled after) and messages; see
 *   src/events for how they run. FilterCriteria take EventBridge's pattern language (events/patterns), refused
 *   with "Invalid filter pattern definition." when invalid, and drop the records no filter matches (SQS messages
 *   are deleted). DeadLetterConfig is kept and shown in FunctionConfiguration.
 * - Missing: every operation of the model without a handler below (tags, permissions, layers, function URLs, code
 *   signing, InvokeWithResponseStream) answers UnknownOperationException. Kinesis, Kafka, Amazon MQ and DocumentDB event
 *   sources, tumbling windows and EventBridge destinations are refused with
 *   InvalidParameterValueException; mapping Tags are accepted and not kept. Code from S3, container images
 *   (PackageType Image) and Layers are refused with InvalidParameterValueException. Tags given to CreateFunction
 *   are not kept; GetFunction returns none.
 * - Differs by design: a function is Active as soon as it is created or updated (State: Active, LastUpdateStatus:
 *   Successful, where Lambda answers Pending/InProgress first). Code.Location is Flint's own download URL
 *   (/_flint/code/<sha256>.zip), not a presigned S3 URL. Architectures reports the host's CPU, which is where the code
 *   runs. RuntimeVersionConfig names a stable digest per runtime identifier. VpcConfig, TracingConfig, KMSKeyArn,
 *   SnapStart and FileSystemConfigs are accepted and ignored. Signatures are not checked
 *   (the gateway's choice), and the caller's region and account are those the node was started with. Where the model
 *   and Lambda's answers part, Lambda's answers win: Runtime is checked by the registry and refused with
 *   InvalidParameterValueException (Lambda's wording, "... or be a valid ARN" aside), not as a model enum;
 *   CreateFunction's Code is read by the service, so code from S3 is refused as unsupported before its fields are
 *   checked. Not recorded from Lambda, so Flint's own: an unknown X-Amz-Invocation-Type lists [RequestResponse,
 *   Event, DryRun] (the model lists Event first), and a JSON value of the wrong type is a ValidationException
 *   ("Member must be of type number"). Constraints are botocore's model's; where Lambda's servers have moved on (a
 *   pattern widened since), the message quotes the model's.
 */
import { LIMITS, type Logger, type Service, type ServiceRequest, type ServiceResponse } from '../../core/index.js';
import { defineService, loadModel, type AwsService, type Handlers } from '../../protocol/index.js';
import { createAlias, deleteAlias, getAlias, listAliases, updateAlias } from './aliases.js';
import type { Operations } from './api.js';
import type { LambdaBackend } from './backend.js';
import { deleteFunctionConcurrency, getAccountSettings, getFunctionConcurrency, putFunctionConcurrency } from './concurrency.js';
import type { LambdaContext } from './context.js';
import { LambdaErrors } from './errors.js';
import {
  deleteFunctionEventInvokeConfig,
  getFunctionEventInvokeConfig,
  listFunctionEventInvokeConfigs,
  putFunctionEventInvokeConfig,
  updateFunctionEventInvokeConfig,
} from './event-invoke-configs.js';
import { createEventSourceMapping, deleteEventSourceMapping, getEventSourceMapping, listEventSourceMappings, updateEventSourceMapping } from './event-source-mappings.js';
import { createFunction, deleteFunction, getFunction, getFunctionConfiguration, listFunctions, updateFunctionCode, updateFunctionConfiguration } from './functions.js';
import { invoke } from './invoke.js';
import { deleteProvisionedConcurrencyConfig, getProvisionedConcurrencyConfig, listProvisionedConcurrencyConfigs, putProvisionedConcurrencyConfig } from './provisioned.js';
import { listVersionsByFunction, publishVersion } from './versions.js';

/** Lambda's limit on a CreateFunction or UpdateFunctionCode request: a 50 MB zip, base64-encoded, plus the rest. */
export const CODE_REQUEST_LIMIT = 70_167_211;

/** Invocations take Lambda's 6 MB, code uploads their 70 MB of base64; everything else is small JSON. */
export function requestLimit(operation: string | undefined): number {
  return operation === 'CreateFunction' || operation === 'UpdateFunctionCode' ? CODE_REQUEST_LIMIT : LIMITS.syncPayloadBytes;
}

export interface LambdaServiceOptions {
  region: string;
  accountId: string;
  /** Told about failures Lambda reports as ServiceException. */
  logger?: Logger;
}

const HANDLERS: Handlers<Operations, LambdaContext> = {
  Invoke: invoke,
  CreateFunction: createFunction,
  GetFunction: getFunction,
  GetFunctionConfiguration: getFunctionConfiguration,
  UpdateFunctionCode: updateFunctionCode,
  UpdateFunctionConfiguration: updateFunctionConfiguration,
  ListFunctions: listFunctions,
  DeleteFunction: deleteFunction,
  PublishVersion: publishVersion,
  ListVersionsByFunction: listVersionsByFunction,
  CreateAlias: createAlias,
  GetAlias: getAlias,
  UpdateAlias: updateAlias,
  DeleteAlias: deleteAlias,
  ListAliases: listAliases,
  PutFunctionConcurrency: putFunctionConcurrency,
  GetFunctionConcurrency: getFunctionConcurrency,
  DeleteFunctionConcurrency: deleteFunctionConcurrency,
  GetAccountSettings: getAccountSettings,
  PutProvisionedConcurrencyConfig: putProvisionedConcurrencyConfig,
  GetProvisionedConcurrencyConfig: getProvisionedConcurrencyConfig,
  DeleteProvisionedConcurrencyConfig: deleteProvisionedConcurrencyConfig,
  ListProvisionedConcurrencyConfigs: listProvisionedConcurrencyConfigs,
  CreateEventSourceMapping: createEventSourceMapping,
  GetEventSourceMapping: getEventSourceMapping,
  ListEventSourceMappings: listEventSourceMappings,
  UpdateEventSourceMapping: updateEventSourceMapping,
  DeleteEventSourceMapping: deleteEventSourceMapping,
  PutFunctionEventInvokeConfig: putFunctionEventInvokeConfig,
  GetFunctionEventInvokeConfig: getFunctionEventInvokeConfig,
  UpdateFunctionEventInvokeConfig: updateFunctionEventInvokeConfig,
  DeleteFunctionEventInvokeConfig: deleteFunctionEventInvokeConfig,
  ListFunctionEventInvokeConfigs: listFunctionEventInvokeConfigs,
};

/** Lambda's API on the protocol kit, over the node's parts (LambdaBackend). */
export class LambdaService implements Service {
  private readonly api: AwsService<Operations, LambdaContext>;

  constructor(backend: LambdaBackend, options: LambdaServiceOptions) {
    const model = loadModel('lambda');
    const errors = new LambdaErrors(model);
    const scope = { region: options.region, accountId: options.accountId };
    this.api = defineService<Operations, LambdaContext>({
      name: 'lambda',
      model,
      handlers: HANDLERS,
      context: ({ request }) => ({ backend, registry: backend.registry, scope, request, errors }),
      opaque: ['FunctionCode'],
      quirks: {
        // Lambda refuses a runtime it lacks with InvalidParameterValueException, worded by the registry, not as a
        // model enum (LocalStack's recording test_create_lambda_exceptions: invalid_runtime_exc).
        CreateFunction: { validation: { skip: ['Runtime'] } },
        UpdateFunctionConfiguration: { validation: { skip: ['Runtime'] } },
        // Checked by the handler, which lists the types in Lambda's order rather than the model's.
        Invoke: { validation: { skip: ['InvocationType'] } },
      },
      bodyLimit: requestLimit,
      wording: errors.wording(),
      translate: (error) => errors.translate(error),
      logger: options.logger,
    });
  }

  handle(request: ServiceRequest): Promise<ServiceResponse> {
    return this.api.handle(request);
  }
}
