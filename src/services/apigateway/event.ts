import { buildEventV1 } from './event-v1.js';
import { buildEventV2 } from './event-v2.js';
import type { Admission, ApiConfig, HttpRequest, RouteMatch } from './types.js';

/** The JSON bytes of the event the route's function receives, in the API's payload version. */
export function buildEvent(api: ApiConfig, match: RouteMatch, req: HttpRequest, admission: Admission = {}): Buffer {
  const event = api.payloadVersion === '2.0' ? buildEventV2(api, match, req, admission) : buildEventV1(api, match, req, admission);
  return Buffer.from(JSON.stringify(event));
}
