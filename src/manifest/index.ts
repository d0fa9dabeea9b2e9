/** The manifest subsystem: flint.yaml → a validated, normalised AppSpec, and the JSON Schema of the format. */
export { loadManifest, parseManifest, MANIFEST_FILE_NAMES } from './load.js';
export { manifestJsonSchema } from './json-schema.js';
export type {
  ApiSpec,
  AppSpec,
  CorsSpec,
  DeadLetterSpec,
  FunctionSpec,
  KeySpec,
  KeyType,
  ManifestProblem,
  QueueSpec,
  ResourcesSpec,
  RouteSpec,
  ScheduleSpec,
  TableSpec,
} from './types.js';
