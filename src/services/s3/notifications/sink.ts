/** The destinations a configuration names: LambdaFunctionConfigurations, QueueConfigurations, TopicConfigurations. */
export type S3RuleKind = 'function' | 'queue' | 'topic';

/**
 * Where a bucket's notification configuration sends its events: a configured destination, or (EventBridgeConfiguration)
 * the account's default event bus, named by its ARN.
 */
export interface S3NotificationTarget {
  kind: S3RuleKind | 'eventbridge';
  arn: string;
}

/**
 * The platform's side of S3 notifications. The S3 service builds each event (Lambda's S3 event shape, one record
 * per matching configuration) and calls `deliver`; the write that caused it is acknowledged only after every
 * `deliver` promise resolved, so `deliver` must resolve only once the event is durably accepted (e.g. enqueued),
 * never after the delivery itself. A rejection fails the request with InternalError.
 */
export interface S3NotificationSink {
  deliver(target: S3NotificationTarget, event: S3NotificationEvent): Promise<void>;
  /**
   * Checked when a configuration is put, as S3 checks that it may publish to each destination: return a reason to
   * refuse it (S3 answers InvalidArgument "Unable to validate the following destination configurations").
   */
  validate?(target: S3NotificationTarget): Promise<string | undefined>;
}

/**
 * `{ Records: [record] }` for object events; S3's test event for queue and topic destinations when configured; an
 * EventBridge event (S3BusEvent) for the default bus.
 */
export type S3NotificationEvent = { Records: S3EventRecord[] } | S3TestEvent | S3BusEvent;

export interface S3EventRecord {
  eventVersion: '2.1';
  eventSource: 'aws:s3';
  awsRegion: string;
  eventTime: string;
  eventName: string;
  userIdentity: { principalId: string };
  requestParameters: { sourceIPAddress: string };
  responseElements: { 'x-amz-request-id': string; 'x-amz-id-2': string };
  s3: {
    s3SchemaVersion: '1.0';
    configurationId: string;
    bucket: { name: string; ownerIdentity: { principalId: string }; arn: string };
    object: { key: string; size?: number; eTag?: string; versionId?: string; sequencer: string };
  };
}

export interface S3TestEvent {
  Service: 'Amazon S3';
  Event: 's3:TestEvent';
  Time: string;
  Bucket: string;
  RequestId: string;
  HostId: string;
}

/**
 * An S3 event as S3 puts it on the account's default event bus, in EventBridge's envelope
 * (https://docs.aws.amazon.com/AmazonS3/latest/userguide/ev-events.html). A type, not an interface, so it is a plain
 * JSON record to the bus.
 */
export type S3BusEvent = {
  version: '0';
  id: string;
  'detail-type': string;
  source: 'aws.s3';
  account: string;
  time: string;
  region: string;
  resources: string[];
  detail: S3BusEventDetail;
};

export type S3BusEventDetail = {
  version: '0';
  bucket: { name: string };
  object: { key: string; size?: number; etag?: string; 'version-id'?: string; sequencer?: string };
  'request-id': string;
  requester: string;
  'source-ip-address'?: string;
  reason?: string;
  'deletion-type'?: string;
};
