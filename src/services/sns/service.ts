/**
 * SNS's query/XML API (2010-03-31), so the AWS SDK v3 SNSClient, the AWS CLI and boto3 work against Flint unchanged,
 * with durable fan-out to SQS queues, Lambda functions and HTTP(S) endpoints.
 *
 * Fidelity.
 * - Matches AWS: CreateTopic (idempotent; "Topic already exists with different attributes/tags"), DeleteTopic,
 *   ListTopics/ListSubscriptions/ListSubscriptionsByTopic (100 per page, NextToken), Get/SetTopicAttributes (Owner,
 *   Policy, EffectiveDeliveryPolicy, DisplayName, Subscriptions{Confirmed,Pending,Deleted}, FifoTopic,
 *   ContentBasedDeduplication, ...), Subscribe (idempotent per topic, protocol and endpoint; "pending confirmation"
 *   unless ReturnSubscriptionArn), ConfirmSubscription, Unsubscribe, Get/SetSubscriptionAttributes, Publish,
 *   PublishBatch, Tag/UntagResource, ListTagsForResource. Requests are read and answers written by the protocol kit
 *   from botocore's SNS model. Error codes, statuses and messages as SNS sends them
 *   (`<ErrorResponse><Error><Type>Sender</Type><Code>NotFound</Code>…`), codes and statuses from the model, messages
 *   from responses recorded from AWS; the model's constraints (required members, tag key and value lengths) are
 *   checked first and answer ValidationError as AWS's validator words them ("1 validation error detected: Value null
 *   at 'message' failed to satisfy constraint: Member must not be null"). Filter policies (attribute and body scope,
 *   exact string/number, prefix, suffix,
 *   equals-ignore-case, anything-but incl. prefix, numeric ranges, exists, cidr, $or, nesting) are validated with
 *   SNS's messages and evaluated as SNS documents; `FilterPolicy: {}` is accepted and filters nothing out.
 *   Deliveries: the JSON envelope to SQS and HTTP(S) (raw with RawMessageDelivery) in SNS's field order (Subject
 *   and MessageAttributes {Type, Value} only when present, Timestamp in ms with Z), the Lambda SNS event,
 *   MessageStructure=json per-protocol texts, the x-amz-sns-* headers, HTTP responses 200–499 as success, SNS's
 *   retry policies (HTTP DeliveryPolicy, default 3 retries 20 s apart; SQS and Lambda SNS's managed policy),
 *   client-side errors not retried, RedrivePolicy dead-letter queues. Signatures verify as AWS documents: each
 *   node has an RSA key and a self-signed certificate (kept in the metadata store, so restarts and nodes sharing
 *   the database sign alike), notifications and subscription/unsubscribe confirmations are signed over SNS's
 *   canonical string with SHA1withRSA (SignatureVersion 1) or SHA256withRSA (2), and the certificate is served at
 *   SigningCertURL (`<node>/_flint/sns/SimpleNotificationService-flint.pem`); the Lambda event reports version 1
 *   but is signed with the topic's version, as SNS does. FIFO topics: MessageGroupId required, deduplication by id
 *   or content (SHA-256) for 5 minutes, SequenceNumber in the result and the envelope (which FIFO topics do not
 *   sign), ordered delivery per group, FIFO SQS subscribers given the group and deduplication ids.
 *   AddPermission/RemovePermission edit the topic's Policy as SNS writes it (statement per label, "SNS:<action>",
 *   root ARNs, keys sorted; "Statement already exists", "Policy statement action out of service scope!").
 *   PutDataProtectionPolicy/GetDataProtectionPolicy (and CreateTopic's DataProtectionPolicy) store a validated
 *   policy, not shown among the topic's attributes. SMS: Publish with PhoneNumber and `sms` subscriptions (phone
 *   numbers checked as SNS checks them), Set/GetSMSAttributes (MonthlySpendLimit 1 by default),
 *   CheckIfPhoneNumberIsOptedOut, ListPhoneNumbersOptedOut, OptInPhoneNumber. Email and email-json subscriptions
 *   stay PendingConfirmation until ConfirmSubscription with the token of their confirmation email. Mobile push:
 *   Create/Get/Set/List/DeletePlatformApplication(s), Create/Get/Set/DeleteEndpoint, ListEndpointsByPlatformApplication
 *   (idempotent per token, credentials never shown, EndpointDisabled), Publish to an endpoint ARN and `application`
 *   subscriptions. Messages of these operations are AWS's, from LocalStack's recordings (test_sns.snapshot.json).
 * - Durable: a publish is acknowledged after one delivery item per matching subscription is stored in the
 *   `sns-deliveries` work queue; the dispatcher delivers each item independently, at least once, across restarts.
 * - Differs by design: nothing leaves the machine for SMS, email or mobile push. Those deliveries (notifications,
 *   and email confirmation messages with their SubscribeURL) are recorded and read back from the node with
 *   GET /_flint/sns/deliveries (filters: protocol, endpoint, topicArn, subscriptionArn, messageId); a "STOP" reply
 *   is POST /_flint/sns/opted-out {"phoneNumber"}. Email bodies follow SNS's text with its footer, abridged.
 *   One region and account (the node's); Publish to another region's ARN is "Invalid parameter: TopicArn".
 *   Deleting a topic deletes its subscriptions at once (AWS does so eventually). HTTP(S) subscriptions are
 *   confirmed with the token as on AWS (flint.yaml-declared ones start confirmed). SubscribeURL, UnsubscribeURL and
 *   SigningCertURL point at the host the subscriber used (AWS's certificate URL is on sns.<region>.amazonaws.com,
 *   so a verifier that insists on that host must be told about Flint's). Topic policies are evaluated when the node
 *   enforces IAM policies (platform/authz/); data protection policies are stored, not applied. Retries have no jitter and the backoff curves approximate SNS's. A FIFO delivery that is
 *   being retried may be overtaken by later messages of its group.
 * - Missing: firehose subscriptions (refused with InvalidParameter), the SMS sandbox and origination numbers,
 *   archiving/replay, delivery status logging and throttle policies (unknown actions answer InvalidAction), SMS
 *   spend limits and mobile delivery feedback. ConfirmSubscription's AuthenticateOnUnsubscribe is ignored (an
 *   unsigned Unsubscribe always succeeds). Filter-policy messages omit the Jackson source location SNS appends
 *   ("\n at [Source: …; line: 1, column: N]"). The messages of MissingAction and InternalError are Flint's, and so
 *   are those of a bad DefaultSenderID, an invalid email address or data protection policy, and an application
 *   subscription to something other than an endpoint ARN (no recording of AWS's was at hand).
 */
import type { Clock, Logger, Service, ServiceRequest, ServiceResponse } from '../../core/index.js';
import { defineService, type AwsService } from '../../protocol/index.js';
import type { EnqueueItem, MetadataStore, QueueStore } from '../../storage/index.js';
import type { Operations } from './api.js';
import { topicArn } from './arns.js';
import type { Caller, SnsCall, SnsContext } from './context.js';
import { DELIVERY_QUEUE } from './delivery-items.js';
import { DeliveryDispatcher } from './dispatcher.js';
import { SNS_MODEL, SNS_WORDING } from './errors.js';
import { FilterCache } from './filter-cache.js';
import { NODE_PAGES, nodePage } from './node-pages.js';
import { HANDLERS } from './operations.js';
import { checkEntry, publishOne } from './publish.js';
import { loadSigner, type MessageSigner } from './signing.js';
import { SnsState } from './state.js';
import { setSubscriptionAttributes, subscribe, unsubscribe } from './subscriptions.js';
import { createTopic, setTopicAttribute } from './topics.js';
import type { Protocol, PublishInput, PublishResult, SnsTargets } from './types.js';

export interface SnsServiceOptions {
  region: string;
  accountId: string;
  clock: Clock;
  logger: Logger;
  targets: SnsTargets;
  /** The node's URL, for SubscribeURL/UnsubscribeURL of subscriptions made in-process (default http://localhost:4566). */
  baseUrl?: string;
  /** Deliveries in flight at once (default 32). */
  parallel?: number;
}

export interface SnsStorage {
  metadata: MetadataStore;
  queues: QueueStore;
}

export interface EnsureSubscriptionInput {
  topicArn: string;
  protocol: Protocol;
  endpoint: string;
  attributes?: Record<string, string>;
}

export class SnsService implements Service {
  private readonly ctx: SnsContext;
  private readonly dispatcher: DeliveryDispatcher;
  private readonly api: AwsService<Operations, SnsCall>;
  /** The node's signer, loaded (or made) once on first use. */
  private signer: Promise<MessageSigner> | undefined;

  constructor(storage: SnsStorage, options: SnsServiceOptions) {
    const logger = options.logger.child('sns');
    const state = new SnsState(storage.metadata);
    this.dispatcher = new DeliveryDispatcher({ queues: storage.queues, state, targets: options.targets, clock: options.clock, logger, parallel: options.parallel });
    this.ctx = {
      scope: { region: options.region, accountId: options.accountId },
      state,
      metadata: storage.metadata,
      clock: options.clock,
      logger,
      filters: new FilterCache(),
      defaultBaseUrl: options.baseUrl ?? 'http://localhost:4566',
      enqueue: async (items: EnqueueItem[]) => {
        if (items.length === 0) return;
        await storage.queues.enqueue(DELIVERY_QUEUE, items);
        this.dispatcher.wake();
      },
      delivered: () => this.dispatcher.wake(),
      signer: () => {
        this.signer ??= loadSigner(storage.metadata, options.clock).catch((error: unknown) => {
          this.signer = undefined;
          throw error;
        });
        return this.signer;
      },
    };
    this.api = defineService<Operations, SnsCall>({
      name: 'sns',
      model: SNS_MODEL,
      handlers: HANDLERS,
      context: ({ request }) => ({ sns: this.ctx, caller: callerOf(request) }),
      wording: SNS_WORDING,
      logger,
    });
  }

  /**
   * Any SNS action, POSTed as a form or (for SubscribeURL and UnsubscribeURL visits) in a GET's query; and SNS's
   * pages under /_flint/sns/ (the signing certificate, recorded deliveries).
   */
  handle(request: ServiceRequest): Promise<ServiceResponse> {
    if (request.rawPath.startsWith(NODE_PAGES)) return nodePage(this.ctx, request);
    return this.api.handle(request);
  }

  /** Starts delivering, including whatever was accepted before a restart. */
  start(): void {
    this.dispatcher.start();
  }

  /** Stops delivering; attempts in flight are handed back to the queue for the next start. */
  async close(): Promise<void> {
    await this.dispatcher.close();
  }

  /** Whether a topic exists (S3 validates notification destinations with it). */
  /** A topic's access policy (its Policy attribute), for IAM enforcement; undefined when it has none. */
  async topicPolicy(arn: string): Promise<string | undefined> {
    return (await this.ctx.state.topic(arn))?.attributes.Policy;
  }

  async topicExists(arn: string): Promise<boolean> {
    return (await this.ctx.state.topic(arn)) !== undefined;
  }

  /** Creates a topic declared in flint.yaml, or brings an existing one's attributes in line; returns its ARN. */
  async ensureTopic(name: string, attributes: Record<string, string> = {}): Promise<string> {
    const wanted = name.endsWith('.fifo') && attributes.FifoTopic === undefined ? { ...attributes, FifoTopic: 'true' } : attributes;
    const existing = await this.ctx.state.topic(topicArn(this.ctx.scope, name));
    if (!existing) return (await createTopic(this.ctx, name, wanted)).arn;
    for (const [attribute, value] of Object.entries(wanted)) {
      if (attribute !== 'FifoTopic' && existing.attributes[attribute] !== value) await setTopicAttribute(this.ctx, existing.arn, attribute, value);
    }
    return existing.arn;
  }

  /**
   * Subscribes an endpoint declared in flint.yaml (typically a function: protocol "lambda", endpoint its ARN),
   * confirmed at once; an existing subscription gets the declared attributes. Returns the subscription ARN.
   */
  async ensureSubscription(input: EnsureSubscriptionInput): Promise<string> {
    const existing = (await this.ctx.state.subscriptions({ topicArn: input.topicArn })).find((s) => s.protocol === input.protocol && s.endpoint === input.endpoint);
    if (!existing) {
      const caller = { baseUrl: this.ctx.defaultBaseUrl, signed: true };
      return (await subscribe(this.ctx, { ...input, preconfirmed: true }, caller)).arn;
    }
    const changes = Object.fromEntries(Object.entries(input.attributes ?? {}).filter(([attribute, value]) => existing.attributes[attribute] !== value));
    if (Object.keys(changes).length > 0) await setSubscriptionAttributes(this.ctx, existing.arn, changes);
    return existing.arn;
  }

  /** Removes a subscription flint.yaml no longer declares (gone already: nothing to do). */
  async removeSubscription(arn: string): Promise<void> {
    await unsubscribe(this.ctx, arn, { baseUrl: this.ctx.defaultBaseUrl, signed: true });
  }

  /** Publishes from inside Flint (S3 event notifications, the platform) with Publish's validation and durability. */
  async publish(input: PublishInput): Promise<PublishResult> {
    const draft = checkEntry({
      Message: input.message,
      Subject: input.subject,
      MessageAttributes: input.messageAttributes,
      MessageGroupId: input.messageGroupId,
      MessageDeduplicationId: input.messageDeduplicationId,
    });
    return publishOne(this.ctx, input.topicArn, draft);
  }
}

/** A SigV4 signature (header or presigned query) marks a call by the endpoint's owner rather than a link visited. */
function callerOf(request: ServiceRequest): Caller {
  return { baseUrl: request.baseUrl, signed: request.headers.authorization !== undefined || request.query.has('X-Amz-Signature') };
}
