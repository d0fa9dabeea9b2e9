/** The manifest subsystem: flint.yaml → a validated, normalised AppSpec, and the JSON Schema of the format. */
export { loadManifest, parseManifest, MANIFEST_FILE_NAMES } from './load.js';
export { manifestJsonSchema } from './json-schema.js';
export { didYouMean } from './did-you-mean.js';
export { S3_EVENT_TYPES } from './schema-events.js';
export type {
  ApiSpec,
  AppSpec,
  AsyncSpec,
  BucketEventSpec,
  CorsSpec,
  DeadLetterSpec,
  DestinationSpec,
  EventSourceSpec,
  FunctionSpec,
  KeySpec,
  KeyType,
  ManifestProblem,
  QueueEventSpec,
  QueueSpec,
  ResourcesSpec,
  RouteSpec,
  ScheduleSpec,
  TableEventSpec,
  TableSpec,
  TopicEventSpec,
} from './types.js';
