import type { LabelParameterVersionRequest, LabelParameterVersionResult, UnlabelParameterVersionRequest, UnlabelParameterVersionResult } from './api.js';
import { parameterNotFound, ssmError, versionNotFound } from './errors.js';
import { existingParameter } from './parameters.js';
import type { SsmContext } from './state.js';
import { latest } from './types.js';

/** AWS's documented label rules: at most 100 characters of letters, digits, `.-_`, not starting with a digit, "aws" or "ssm". */
const LABEL = /^[A-Za-z_.-][A-Za-z0-9_.-]{0,99}$/;
const RESERVED = /^(aws|ssm)/i;
/** A version carries at most 10 labels. */
const MAX_LABELS = 10;

function validLabel(label: string): boolean {
  return LABEL.test(label) && !RESERVED.test(label);
}

/** Labels a version (the latest by default); a label moves off the version that had it. Invalid labels are reported, not refused. */
export async function labelVersion(ctx: SsmContext, input: LabelParameterVersionRequest): Promise<LabelParameterVersionResult> {
  const { name } = await existingParameter(ctx, input.Name);
  const valid = input.Labels.filter(validLabel);
  const invalid = input.Labels.filter((label) => !validLabel(label));
  let labelled = 0;
  await ctx.state.update(name, (current) => {
    if (!current) throw parameterNotFound();
    const number = input.ParameterVersion ?? latest(current).version;
    const target = current.versions.find((v) => v.version === number);
    if (!target) throw versionNotFound(name, number);
    labelled = number;
    if (valid.length === 0) return current;
    const versions = current.versions.map((v) => {
      if (v.version === number) return { ...v, labels: [...new Set([...v.labels, ...valid])] };
      return { ...v, labels: v.labels.filter((label) => !valid.includes(label)) };
    });
    if (versions.find((v) => v.version === number)!.labels.length > MAX_LABELS) {
      // AWS's wording (its run-together sentences included).
      throw ssmError('ParameterVersionLabelLimitExceeded', 'A parameter version can have maximum 10 labels.Move one or more labels to another version and try again.');
    }
    return { ...current, versions };
  });
  return { InvalidLabels: invalid, ParameterVersion: labelled };
}

/** Removes labels from one version; labels it does not carry come back as InvalidLabels. */
export async function unlabelVersion(ctx: SsmContext, input: UnlabelParameterVersionRequest): Promise<UnlabelParameterVersionResult> {
  const { name } = await existingParameter(ctx, input.Name);
  let removed: string[] = [];
  await ctx.state.update(name, (current) => {
    if (!current) throw parameterNotFound();
    const target = current.versions.find((v) => v.version === input.ParameterVersion);
    if (!target) throw versionNotFound(name, input.ParameterVersion);
    removed = input.Labels.filter((label) => target.labels.includes(label));
    const versions = current.versions.map((v) => (v === target ? { ...v, labels: v.labels.filter((label) => !removed.includes(label)) } : v));
    return { ...current, versions };
  });
  return { RemovedLabels: removed, InvalidLabels: input.Labels.filter((label) => !removed.includes(label)) };
}
