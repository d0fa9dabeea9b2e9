import { CERTIFICATE_PATH, type MessageSigner, type SignedFields } from './signing.js';
import type { MessageAttributes, PublishedMessage, QueueMessageAttribute, SnsLambdaEvent, SubscriptionRecord } from './types.js';

/**
 * What SNS sends: the JSON envelope (to SQS and HTTP), the Lambda event, raw messages, and the HTTP headers.
 * Field order follows AWS's documented examples. Signatures are RSA signatures by the node's key (signing.ts),
 * verifiable with the certificate served at SigningCertURL.
 */

export type MessageType = 'Notification' | 'SubscriptionConfirmation' | 'UnsubscribeConfirmation';

/** The text a protocol receives: its own entry of a MessageStructure=json message, else "default". */
export function messageFor(message: PublishedMessage, protocol: string): string {
  if (typeof message.message === 'string') return message.message;
  return message.message[protocol] ?? message.message.default ?? '';
}

export function isoTime(epochMs: number): string {
  return new Date(epochMs).toISOString();
}

export function signingCertUrl(baseUrl: string): string {
  return `${baseUrl}${CERTIFICATE_PATH}`;
}

export function unsubscribeUrl(subscription: SubscriptionRecord): string {
  return `${subscription.baseUrl}/?Action=Unsubscribe&SubscriptionArn=${subscription.arn}`;
}

export function subscribeUrl(baseUrl: string, topicArn: string, token: string): string {
  return `${baseUrl}/?Action=ConfirmSubscription&TopicArn=${topicArn}&Token=${token}`;
}

/** What SNS signs in a notification: Message, MessageId, Subject (when given), Timestamp, TopicArn, Type. */
function notificationFields(message: PublishedMessage, text: string, timestamp: string): SignedFields {
  return [
    ['Message', text],
    ['MessageId', message.messageId],
    ['Subject', message.subject],
    ['Timestamp', timestamp],
    ['TopicArn', message.topicArn],
    ['Type', 'Notification'],
  ];
}

/** Attributes as they appear inside an envelope or Lambda event: `{Type, Value}`, binary values in base64. */
export function envelopeAttributes(attributes: MessageAttributes): Record<string, { Type: string; Value: string }> {
  const out: Record<string, { Type: string; Value: string }> = {};
  for (const [name, attribute] of Object.entries(attributes)) out[name] = { Type: attribute.DataType, Value: attribute.StringValue ?? attribute.BinaryValue ?? '' };
  return out;
}

/** Attributes of a raw delivery to SQS, which become the SQS message's own attributes. */
export function queueAttributes(attributes: MessageAttributes): Record<string, QueueMessageAttribute> {
  const out: Record<string, QueueMessageAttribute> = {};
  for (const [name, attribute] of Object.entries(attributes)) {
    out[name] =
      attribute.BinaryValue !== undefined
        ? { DataType: attribute.DataType, BinaryValue: Buffer.from(attribute.BinaryValue, 'base64') }
        : { DataType: attribute.DataType, StringValue: attribute.StringValue ?? '' };
  }
  return out;
}

export interface EnvelopeOptions {
  fifo: boolean;
  signatureVersion: string;
  signer: MessageSigner;
}

/** The Notification envelope SQS and HTTP(S) subscribers receive when raw delivery is off. */
export function notificationEnvelope(message: PublishedMessage, subscription: SubscriptionRecord, options: EnvelopeOptions): string {
  const text = messageFor(message, subscription.protocol);
  const timestamp = isoTime(message.timestamp);
  const envelope: Record<string, unknown> = { Type: 'Notification', MessageId: message.messageId };
  if (options.fifo) envelope.SequenceNumber = message.sequenceNumber;
  envelope.TopicArn = message.topicArn;
  if (message.subject !== undefined) envelope.Subject = message.subject;
  envelope.Message = text;
  envelope.Timestamp = timestamp;
  // FIFO topics do not sign what they deliver.
  if (!options.fifo) {
    envelope.SignatureVersion = options.signatureVersion;
    envelope.Signature = options.signer.sign(notificationFields(message, text, timestamp), options.signatureVersion);
    envelope.SigningCertURL = signingCertUrl(subscription.baseUrl);
  }
  envelope.UnsubscribeURL = unsubscribeUrl(subscription);
  if (Object.keys(message.attributes).length > 0) envelope.MessageAttributes = envelopeAttributes(message.attributes);
  return JSON.stringify(envelope);
}

export interface ConfirmationInput {
  type: 'SubscriptionConfirmation' | 'UnsubscribeConfirmation';
  messageId: string;
  token: string;
  topicArn: string;
  text: string;
  timestamp: number;
  baseUrl: string;
  signatureVersion: string;
  signer: MessageSigner;
}

/** The body SNS POSTs to an HTTP(S) endpoint to confirm a subscription, or to tell it it was unsubscribed. */
export function confirmationEnvelope(input: ConfirmationInput): string {
  const timestamp = isoTime(input.timestamp);
  const url = subscribeUrl(input.baseUrl, input.topicArn, input.token);
  return JSON.stringify({
    Type: input.type,
    MessageId: input.messageId,
    Token: input.token,
    TopicArn: input.topicArn,
    Message: input.text,
    SubscribeURL: url,
    Timestamp: timestamp,
    SignatureVersion: input.signatureVersion,
    Signature: input.signer.sign(
      [
        ['Message', input.text],
        ['MessageId', input.messageId],
        ['SubscribeURL', url],
        ['Timestamp', timestamp],
        ['Token', input.token],
        ['TopicArn', input.topicArn],
        ['Type', input.type],
      ],
      input.signatureVersion,
    ),
    SigningCertURL: signingCertUrl(input.baseUrl),
  });
}

/**
 * The event a subscribed function receives; Subject is null when absent. SNS always reports SignatureVersion "1"
 * here but signs with the topic's version (SHA-256 for 2), as recorded in LocalStack's
 * test_sns.py::TestSNSSubscriptionLambda::test_publish_lambda_verify_signature[2].
 */
export function lambdaEvent(message: PublishedMessage, subscription: SubscriptionRecord, signer: MessageSigner, signatureVersion: string): SnsLambdaEvent {
  const text = messageFor(message, 'lambda');
  const timestamp = isoTime(message.timestamp);
  return {
    Records: [
      {
        EventSource: 'aws:sns',
        EventVersion: '1.0',
        EventSubscriptionArn: subscription.arn,
        Sns: {
          Type: 'Notification',
          MessageId: message.messageId,
          TopicArn: message.topicArn,
          Subject: message.subject ?? null,
          Message: text,
          Timestamp: timestamp,
          SignatureVersion: '1',
          Signature: signer.sign(notificationFields(message, text, timestamp), signatureVersion),
          SigningCertUrl: signingCertUrl(subscription.baseUrl),
          UnsubscribeUrl: unsubscribeUrl(subscription),
          MessageAttributes: envelopeAttributes(message.attributes),
        },
      },
    ],
  };
}

export interface HttpHeaderInput {
  type: MessageType;
  messageId: string;
  topicArn: string;
  subscriptionArn?: string;
  raw: boolean;
  contentType: string;
}

/** SNS's POST headers; a confirmation carries no subscription ARN, a raw notification says so. */
export function httpHeaders(input: HttpHeaderInput): Record<string, string> {
  const headers: Record<string, string> = {
    'content-type': input.contentType,
    'user-agent': 'Amazon Simple Notification Service Agent',
    'x-amz-sns-message-type': input.type,
    'x-amz-sns-message-id': input.messageId,
    'x-amz-sns-topic-arn': input.topicArn,
  };
  if (input.subscriptionArn !== undefined) headers['x-amz-sns-subscription-arn'] = input.subscriptionArn;
  if (input.raw) headers['x-amz-sns-rawdelivery'] = 'true';
  return headers;
}

/** A plain-text notification email: the message, then SNS's footer with the unsubscribe link. */
export function emailBody(text: string, subscription: SubscriptionRecord): string {
  return (
    `${text}\n\n--\nIf you wish to stop receiving notifications from this topic, please click or visit the link below to unsubscribe:\n` +
    `${unsubscribeUrl(subscription)}\n\nPlease do not reply directly to this email. If you have any questions or comments regarding this email, please contact us at https://aws.amazon.com/support\n`
  );
}

/** The platform of a mobile endpoint ARN (`…:endpoint/GCM/app/id` → GCM), the key its MessageStructure=json text is under. */
export function platformOf(endpointArn: string): string {
  return /:endpoint\/([^/]+)\//.exec(endpointArn)?.[1] ?? 'default';
}
