import { EVENT_STREAM_CONTENT_TYPE, reply, type Handlers } from '../../protocol/index.js';
import type { Operations } from './api.js';
import type { LogsBackend } from './backend.js';
import { invalidParameter } from './errors.js';
import { compilePattern } from './filter-events.js';
import { groupFromIdentifier } from './names.js';

type Ctx = { backend: LogsBackend };

/** StartLiveTail: checks the groups exist, then answers with the session's event stream (live-tail.ts). */
export function liveTailHandlers(): Handlers<Operations, Ctx> {
  return {
    StartLiveTail: async (input, { backend }) => {
      const groups = new Map<string, string>();
      for (const identifier of input.logGroupIdentifiers) {
        const group = await backend.group(groupFromIdentifier(identifier));
        groups.set(group.name, identifier.replace(/:\*$/, ''));
      }
      if (input.logStreamNames !== undefined && input.logStreamNamePrefixes !== undefined) {
        throw invalidParameter('logStreamNames and logStreamNamePrefixes are mutually exclusive parameters.');
      }
      const stream = backend.tails.open(input, groups, compilePattern(input.logEventFilterPattern));
      return reply({}, { headers: { 'content-type': EVENT_STREAM_CONTENT_TYPE }, body: stream });
    },
  };
}
