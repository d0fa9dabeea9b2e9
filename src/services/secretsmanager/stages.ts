import { invalidParameter, noValueForVersion } from './errors.js';
import { CURRENT, PENDING, PREVIOUS, type VersionRecord } from './types.js';

/** Secrets Manager keeps at most 100 versions; versions without stages (deprecated) go first, oldest first. */
const MAX_VERSIONS = 100;

/**
 * Adds a version with its stages. A stage is on one version at a time, so each moves off the version that had it;
 * when AWSCURRENT moves, the version that had it becomes AWSPREVIOUS and loses AWSPENDING (LocalStack's recordings of
 * AWS: test_update_secret_version_stages_current_pending, test_non_versioning_version_stages_no_replacement).
 */
export function withVersion(versions: VersionRecord[], version: VersionRecord): VersionRecord[] {
  let next = versions.filter((v) => v.id !== version.id);
  for (const stage of version.stages) next = moveOff(next, stage, version.id);
  return prune([...next, version]);
}

function moveOff(versions: VersionRecord[], stage: string, to: string): VersionRecord[] {
  const from = versions.find((v) => v.id !== to && v.stages.includes(stage));
  if (!from) return versions;
  let next = versions.map((v) => (v === from ? { ...v, stages: v.stages.filter((s) => s !== stage && !(stage === CURRENT && s === PENDING)) } : v));
  if (stage === CURRENT) {
    next = next.map((v) => (v.id !== from.id && v.stages.includes(PREVIOUS) ? { ...v, stages: v.stages.filter((s) => s !== PREVIOUS) } : v));
    next = next.map((v) => (v.id === from.id ? { ...v, stages: [...v.stages, PREVIOUS] } : v));
  }
  return next;
}

/**
 * UpdateSecretVersionStage: moves a stage to a version, removes it from one, or both. Moving AWSCURRENT makes the
 * version that had it AWSPREVIOUS (recorded: test_update_secret_version_stages_current_pending_cycle_custom_stages_2),
 * and a stage that is elsewhere must be named in RemoveFromVersionId.
 */
export function moveStage(versions: VersionRecord[], stage: string, removeFrom: string | undefined, moveTo: string | undefined): VersionRecord[] {
  for (const id of [removeFrom, moveTo]) if (id !== undefined && !versions.some((v) => v.id === id)) throw noValueForVersion(id);
  const holder = versions.find((v) => v.stages.includes(stage));
  if (moveTo === undefined) {
    if (removeFrom === undefined) return versions;
    // Flint's wording, after AWS's documentation of AWSCURRENT ("you can't remove it").
    if (stage === CURRENT) throw invalidParameter(`You can only move staging label ${CURRENT} to a different secret version. It can't be completely removed.`);
    if (holder?.id !== removeFrom) throw invalidParameter(`The staging label ${stage} is not attached to version ${removeFrom}.`);
    return versions.map((v) => (v.id === removeFrom ? { ...v, stages: v.stages.filter((s) => s !== stage) } : v));
  }
  if (holder && holder.id !== moveTo && holder.id !== removeFrom) {
    // AWS's wording when RemoveFromVersionId is missing.
    throw invalidParameter(`The parameter RemoveFromVersionId can't be empty. Staging label ${stage} is currently attached to version ${holder.id}, so you must explicitly reference that version in RemoveFromVersionId.`);
  }
  if (holder?.id === moveTo) return versions;
  let next = moveOff(versions, stage, moveTo);
  next = next.map((v) => (v.id === moveTo ? { ...v, stages: [...v.stages, stage] } : v));
  return prune(next);
}

function prune(versions: VersionRecord[]): VersionRecord[] {
  let excess = versions.length - MAX_VERSIONS;
  if (excess <= 0) return versions;
  return versions.filter((v) => {
    if (excess > 0 && v.stages.length === 0) {
      excess--;
      return false;
    }
    return true;
  });
}

/** Stages in the order AWS lists them (sorted, as the recordings show). */
export function sortedStages(version: VersionRecord): string[] {
  return [...version.stages].sort();
}

export function versionWithStage(versions: VersionRecord[], stage: string): VersionRecord | undefined {
  return versions.find((v) => v.stages.includes(stage));
}
