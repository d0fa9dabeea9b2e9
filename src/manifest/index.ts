/** The manifest subsystem: flint.yaml → a validated, normalised AppSpec, and the JSON Schema of the format. */
export { loadManifest, parseManifest, validateManifest, MANIFEST_FILE_NAMES } from './load.js';
export { formatProblems, formatField } from './problems.js';
export { functionRoleName } from './roles.js';
export { manifestJsonSchema } from './json-schema.js';
export { didYouMean } from './did-you-mean.js';
export { S3_EVENT_TYPES } from './schema-events.js';
export { DEFAULT_WEBSOCKET_ROUTE_SELECTION, WEBSOCKET_ROUTE_SELECTION } from './schema-websockets.js';
export type {
  ApiSpec,
  AppSpec,
  AsyncSpec,
  AuthorizerSpec,
  BucketEventSpec,
  BusEventSpec,
  CorsSpec,
  DeadLetterSpec,
  DestinationSpec,
  EventSourceSpec,
  FunctionSpec,
  FunctionUrlSpec,
  KeySpec,
  KeyType,
  LayerSpec,
  ManifestProblem,
  ParameterSpec,
  QueueEventSpec,
  QueueSpec,
  ResourcesSpec,
  RouteAuthSpec,
  RouteSpec,
  ScheduleSpec,
  SecretSpec,
  TableEventSpec,
  TableIndexSpec,
  TableSpec,
  TopicSpec,
  TopicSubscriptionSpec,
  StreamViewType,
  TopicEventSpec,
  WebSocketApiSpec,
  WebSocketRouteSpec,
} from './types.js';
