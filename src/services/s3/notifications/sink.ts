/** Where a bucket's notification configuration sends its events. */
export interface S3NotificationTarget {
  /** LambdaFunctionConfigurations, QueueConfigurations, TopicConfigurations. */
  kind: 'function' | 'queue' | 'topic';
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

/** `{ Records: [record] }` for object events; S3's test event for queue and topic destinations when configured. */
export type S3NotificationEvent = { Records: S3EventRecord[] } | S3TestEvent;

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
