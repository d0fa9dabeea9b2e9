/** The manifest subsystem: flint.yaml → a validated, normalised AppSpec, and the JSON Schema of the format. */
export { loadManifest, parseManifest, validateManifest, MANIFEST_FILE_NAMES } from './load.js';
export { formatProblems, formatField } from './problems.js';
export { functionRoleName } from './roles.js';
export { manifestJsonSchema } from './json-schema.js';
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
