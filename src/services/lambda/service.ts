/**
 * Lambda's REST-JSON API (2015-03-31 and the dated paths beside it), the subset deploy tools and SDK callers use,
 * so the AWS SDKs, the AWS CLI and boto3 work against Flint unchanged. It runs on the protocol kit: routes, URI
 * labels, query and header members, the Invoke payload, output headers and statuses come from Lambda's model, and
 * the handlers below see typed input and return typed output.
 *
 * Fidelity.
 * - Matches AWS: paths and methods, status codes (201 create/publish/AddPermission, 202 Event, 204 DryRun, deletes,
 *   RemovePermission and tagging), the Invoke headers (X-Amz-Executed-Version, X-Amz-Function-Error: Unhandled,
 *   X-Amz-Log-Result with the base64 log tail START…REPORT, X-Amz-Client-Context decoded for the function),
 *   FunctionConfiguration and AliasConfiguration field for field (CodeSha256 base64, LastModified
 *   "…T12:00:00.000+0000", list operations without the state fields), NextMarker paging (ListFunctions with MaxItems
 *   1–10000 and FunctionVersion=ALL; MasterRegion is accepted and ignored, as there are no Lambda@Edge replicas),
 *   and errors as Lambda sends them: x-amzn-ErrorType, x-amzn-RequestId and the body fields each error type declares
 *   ("Message" or "message", "Type", "Reason" and Retry-After for throttles). Requests are checked against the
 *   model's constraints (required members, lengths, ranges, patterns, enums) and refused with ValidationException
 *   worded as Lambda words it ("1 validation error detected: Value 'bad name' at 'functionName' failed to satisfy
 *   constraint: ..."), before the service's own checks. Size limits and their messages: 6291456 bytes per invoke
 *   request, 1048576 per Event payload, 70167211 per CreateFunction/UpdateFunctionCode request and 52428800 per zip.
 * - ARNs and "Function not found: arn:aws:lambda:<region>:<account>:function:<name>[:qualifier]" messages name the
 *   region the request was signed for (its SigV4 credential scope; the node's region for an unsigned request), and a
 *   full ARN for another region is refused ("Functions from 'x' are not reachable in this region ('y')").
 * - Resource-based policies (AddPermission, RemovePermission, GetPolicy): one per function, version and alias, kept
 *   with the function (they go with it, and with a deleted version or alias). Statements render as Lambda's (Sid,
 *   Effect, Principal {"Service"}/{"AWS"}/"*", Action, Resource, Condition with StringEquals AWS:SourceAccount,
 *   lambda:FunctionUrlAuthType, aws:PrincipalOrgID, lambda:EventSourceToken and ArnLike AWS:SourceArn); duplicate
 *   statement ids, $LATEST, principals that are not a service, account, IAM ARN or "*", missing functions, versions
 *   and aliases, RevisionId mismatches and policies over 20480 bytes are refused with Lambda's types and messages,
 *   which differ by operation. Policies are evaluated when the node enforces IAM
 *   policies (platform/authz/, `flint up --enforce-iam`); otherwise any caller may invoke any function.
 * - Tags (TagResource, UntagResource, ListTags, CreateFunction's Tags, GetFunction's Tags): on functions, 50 at
 *   most, listed by key; a version or alias ARN, an empty tag map and a missing function are refused as Lambda
 *   refuses them. GetAccountSettings counts the account's functions and stored code (every version) and reports the
 *   concurrency the node enforces. Each account has its own instance of this service, registry and invoker
 *   (platform/accounts.ts): its functions, layers and mappings carry its account and its concurrency is its own.
 * - Runtimes: every identifier Lambda accepts for new functions is accepted (nodejs24.x … java25, dotnet10,
 *   ruby3.4, provided.al2023); those Lambda's model names but Lambda has retired are refused with Lambda's "The
 *   runtime parameter of <x> is no longer supported …" message, others with its enum list. Node.js and Python
 *   identifiers run on the machine's Node.js and Python; java, dotnet and ruby functions are created and fail at
 *   invoke with Runtime.Unsupported, saying to ship a provided.al2023 bootstrap instead.
 * - Event source mappings (SQS queues, DynamoDB streams) and event invoke configurations (retries, maximum event
 *   age, OnSuccess/OnFailure destinations) answer as Lambda does, with its defaults, wire shapes (LastModified in
 *   epoch seconds, DestinationConfig with empty OnSuccess/OnFailure), states (Creating, Updating, Enabling,
 *   Disabling, Deleting reported by the call that causes them, Enabled/Disabled after) and messages; see
 *   src/events for how they run. FilterCriteria take EventBridge's pattern language (events/patterns), refused
 *   with "Invalid filter pattern definition." when invalid, and drop the records no filter matches (SQS messages
 *   are deleted). DeadLetterConfig is kept and shown in FunctionConfiguration.
 * - Layers (layers.ts): PublishLayerVersion, GetLayerVersion(ByArn), ListLayers, ListLayerVersions (newest first,
 *   CompatibleRuntime/CompatibleArchitecture filters, Marker paging), DeleteLayerVersion (204 for absent versions too)
 *   and AddLayerVersionPermission/RemoveLayerVersionPermission/GetLayerVersionPolicy answer with Lambda's shapes and
 *   messages (LocalStack's recordings, TestLambdaLayer); version numbers are never reused. Functions take up to 5
 *   Layers, refused as Lambda refuses them (missing version, two versions of one layer, another region); GetFunction
 *   shows Layers [{Arn, CodeSize}], and a function keeps a deleted layer version's code. Instances get the layers
 *   extracted into /opt in the order listed, later over earlier; Node.js, Python, PATH, LD_LIBRARY_PATH and a
 *   provided runtime's /opt/bootstrap resolve as on Lambda.
 * - Function URLs (function-urls.ts; served by url/endpoint.ts at <url-id>.lambda-url.<region>.on.aws or .localhost
 *   and at /_flint/url/<url-id>/): the configuration API with Lambda's shapes and messages; requests get the payload
 *   2.0 event, NONE needs the lambda:InvokeFunctionUrl permission Lambda checks, AWS_IAM needs a SigV4-signed request
 *   (signatures and the signer's IAM permissions are not checked), CORS is answered by the URL. Response streaming:
 *   awslambda.streamifyResponse in Node.js and the Runtime API's streaming mode reach InvokeWithResponseStream
 *   (PayloadChunk events as written, then InvokeComplete) and RESPONSE_STREAM URLs without buffering, up to Lambda's
 *   20 MB; Invoke and BUFFERED URLs get the whole body. Flint's own: InvokeComplete's ErrorCode is the function's
 *   error type, a URL's 429 body, and an error after a streamed URL began just ends the body.
 * - Missing: every operation of the model without a handler below (code signing) answers
 *   UnknownOperationException. Kinesis, Kafka, Amazon MQ and DocumentDB event
 *   sources, tumbling windows and EventBridge destinations are refused with InvalidParameterValueException; mapping
 *   Tags are accepted and not kept, and tagging a mapping's ARN is refused (ListTags answers an empty map). Function
 *   code from S3 and container images (PackageType Image) are refused with InvalidParameterValueException (a layer's
 *   Content.S3Bucket/S3Key is read from the node's own S3); so is a layer of another account (a layer published on AWS, which Flint cannot
 *   fetch), with how to publish it to Flint instead. Layer permissions are stored, not enforced. Tag
 *   keys and values are not checked against Lambda's lengths and "aws:" prefix.
 * - Differs by design: a function is Active as soon as it is created or updated (State: Active, LastUpdateStatus:
 *   Successful, where Lambda answers Pending/InProgress first). Code.Location and a layer's Content.Location are Flint's
 *   own download URL (/_flint/code/<sha256>.zip), not a presigned S3 URL. Without bwrap (the plain-process sandbox)
 *   an instance has no /opt of its own: NODE_PATH, PYTHONPATH, PATH and LD_LIBRARY_PATH name the merged layer folder
 *   on the host instead, so code that opens /opt/... literally finds it only under bwrap. Architectures reports the host's CPU, which is where the code
 *   runs. RuntimeVersionConfig names a stable digest per runtime identifier. VpcConfig, TracingConfig, KMSKeyArn,
 *   SnapStart and FileSystemConfigs are accepted and ignored. Signatures are checked by the gateway in server mode only, and
 *   the account is the node's. One set of functions answers every region: inside a function, the context's ARN and
 *   AWS_REGION name the node's region, as do the FunctionArn of event source mappings and destination records. A
 *   policy has its own RevisionId: AddPermission and RemovePermission leave the function's (and alias's) RevisionId
 *   as it was, where Lambda changes it too, and accept either the policy's or the function's current RevisionId.
 *   Where the model and Lambda's answers part, Lambda's answers win: Runtime is checked by the service and the
 *   registry, not as a model enum; CreateFunction's Code is read by the service, so code from S3 is refused as
 *   unsupported before its fields are checked. Not recorded from Lambda, so Flint's own: an unknown
 *   X-Amz-Invocation-Type lists [RequestResponse, Event, DryRun] (the model lists Event first), a JSON value of the
 *   wrong type is a ValidationException ("Member must be of type number"), GetPolicy and RemovePermission with
 *   Qualifier $LATEST mean the function's own policy, InvokedViaFunctionUrl renders as a Bool condition, and
 *   ruby4.0 (in the model, not in the recorded list) is accepted and listed last. Constraints are botocore's
 *   model's; where Lambda's servers have moved on (a pattern widened since), the message quotes the model's.
 */
import { LIMITS, type Logger, type Service, type ServiceRequest, type ServiceResponse } from '../../core/index.js';
import { defineService, loadModel, type AwsService, type Handlers } from '../../protocol/index.js';
import { createAlias, deleteAlias, getAlias, listAliases, updateAlias } from './aliases.js';
import type { Operations } from './api.js';
import type { LambdaBackend } from './backend.js';
import { callerScope, inCallerRegion } from './caller.js';
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
import { createFunctionUrlConfig, deleteFunctionUrlConfig, getFunctionUrlConfig, listFunctionUrlConfigs, updateFunctionUrlConfig } from './function-urls.js';
import { invoke } from './invoke.js';
import { LAYER_HANDLERS } from './layers.js';
import { invokeWithResponseStream } from './invoke-stream.js';
import { addPermission, getPolicy, removePermission } from './permissions.js';
import { deleteProvisionedConcurrencyConfig, getProvisionedConcurrencyConfig, listProvisionedConcurrencyConfigs, putProvisionedConcurrencyConfig } from './provisioned.js';
import { listTags, tagResource, untagResource } from './tags.js';
import { listVersionsByFunction, publishVersion } from './versions.js';

/** Lambda's limit on a CreateFunction or UpdateFunctionCode request: a 50 MB zip, base64-encoded, plus the rest. */
export const CODE_REQUEST_LIMIT = 70_167_211;

/** Invocations take Lambda's 6 MB, code uploads their 70 MB of base64; everything else is small JSON. */
export function requestLimit(operation: string | undefined): number {
  return operation === 'CreateFunction' || operation === 'UpdateFunctionCode' || operation === 'PublishLayerVersion' ? CODE_REQUEST_LIMIT : LIMITS.syncPayloadBytes;
}

export interface LambdaServiceOptions {
  region: string;
  accountId: string;
  /** Told about failures Lambda reports as ServiceException. */
  logger?: Logger;
}

const HANDLERS: Handlers<Operations, LambdaContext> = {
  Invoke: invoke,
  InvokeWithResponseStream: invokeWithResponseStream,
  CreateFunctionUrlConfig: createFunctionUrlConfig,
  GetFunctionUrlConfig: getFunctionUrlConfig,
  UpdateFunctionUrlConfig: updateFunctionUrlConfig,
  DeleteFunctionUrlConfig: deleteFunctionUrlConfig,
  ListFunctionUrlConfigs: listFunctionUrlConfigs,
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
  AddPermission: addPermission,
  RemovePermission: removePermission,
  GetPolicy: getPolicy,
  TagResource: tagResource,
  UntagResource: untagResource,
  ListTags: listTags,
  ...LAYER_HANDLERS,
};

/** Lambda's API on the protocol kit, over the node's parts (LambdaBackend). */
export class LambdaService implements Service {
  private readonly api: AwsService<Operations, LambdaContext>;

  constructor(backend: LambdaBackend, options: LambdaServiceOptions) {
    const model = loadModel('lambda');
    const errors = new LambdaErrors(model);
    const node = { region: options.region, accountId: options.accountId };
    this.api = defineService<Operations, LambdaContext>({
      name: 'lambda',
      model,
      handlers: inCallerRegion(HANDLERS, node),
      context: ({ request }) => ({ backend, registry: backend.registry, scope: callerScope(request, node), request, errors }),
      opaque: ['FunctionCode'],
      quirks: {
        // Lambda refuses a runtime it lacks with InvalidParameterValueException, worded by the registry, not as a
        // model enum (LocalStack's recording test_create_lambda_exceptions: invalid_runtime_exc).
        CreateFunction: { validation: { skip: ['Runtime'] } },
        UpdateFunctionConfiguration: { validation: { skip: ['Runtime'] } },
        // Checked by the handler, which lists the types in Lambda's order rather than the model's.
        Invoke: { validation: { skip: ['InvocationType'] } },
        // Lambda lists the invoke modes in another order than the model (function-urls.ts checks them).
        CreateFunctionUrlConfig: { validation: { skip: ['InvokeMode'] } },
        UpdateFunctionUrlConfig: { validation: { skip: ['InvokeMode'] } },
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
