import { randomUUID } from 'node:crypto';
import type { Logger } from '../../core/index.js';
import type { CancelRotateSecretResponse, RotateSecretRequest, RotateSecretResponse } from './api.js';
import { cannotInvoke, invalidRequest, tokenRequired } from './errors.js';
import { withVersion } from './stages.js';
import { liveSecret, type Rotations, type SecretState, type SecretsContext } from './state.js';
import { CURRENT, PENDING, type SecretRecord } from './types.js';

/** The steps Secrets Manager asks a rotation function for, in order (AWS's rotation function documentation). */
const STEPS = ['createSecret', 'setSecret', 'testSecret', 'finishSecret'] as const;

/**
 * Turns rotation on (with the function and rules given, or those the secret has) and, unless RotateImmediately is
 * false, starts a rotation: a version named by the token is created with AWSPENDING and no value, and the function
 * is called for each step in the background; the answer comes before the steps run, as on AWS.
 */
export async function rotateSecret(ctx: SecretsContext, input: RotateSecretRequest): Promise<RotateSecretResponse> {
  const secret = await liveSecret(ctx, input.SecretId);
  const lambdaArn = input.RotationLambdaARN ?? secret.rotation?.lambdaArn;
  // Recorded (test_first_rotate_secret_with_missing_lambda_arn).
  if (lambdaArn === undefined) throw invalidRequest('No Lambda rotation function ARN is associated with this secret.');
  if (!(await ctx.rotations.canInvoke(lambdaArn))) throw cannotInvoke();
  // AWS's wording for a rotation started while one runs.
  if (ctx.rotations.running(secret.name)) throw invalidRequest("A previous rotation isn't complete. That rotation will be reattempted.");
  const immediately = input.RotateImmediately ?? true;
  const token = input.ClientRequestToken;
  if (immediately && token === undefined) throw tokenRequired(true);
  const now = ctx.clock.now();
  const updated = await ctx.state.update(secret.name, (s) => {
    const rotation = { ...s.rotation, enabled: true, lambdaArn, rules: input.RotationRules ?? s.rotation?.rules };
    const next: SecretRecord = { ...s, rotation, changedAt: now };
    if (!immediately || s.versions.some((v) => v.id === token)) return next;
    return { ...next, versions: withVersion(s.versions, { id: token!, stages: [PENDING], createdAt: now }) };
  });
  if (immediately) ctx.rotations.start(updated.name, token!);
  return { ARN: updated.arn, Name: updated.name, VersionId: immediately ? token : undefined };
}

/** Turns automatic rotation off; a version waiting as AWSPENDING loses the stage. */
export async function cancelRotation(ctx: SecretsContext, secretId: string): Promise<CancelRotateSecretResponse> {
  const secret = await liveSecret(ctx, secretId);
  const pending = secret.versions.find((v) => v.stages.includes(PENDING) && !v.stages.includes(CURRENT));
  const updated = await ctx.state.update(secret.name, (s) => ({
    ...s,
    rotation: s.rotation && { ...s.rotation, enabled: false },
    versions: s.versions.map((v) => (v.id === pending?.id ? { ...v, stages: v.stages.filter((stage) => stage !== PENDING) } : v)),
  }));
  return { ARN: updated.arn, Name: updated.name, VersionId: pending?.id };
}

/** How the runner reaches rotation functions: through the node's FunctionCalls. */
export interface RotationFunctions {
  exists(functionArn: string): Promise<boolean>;
  /** Runs the function with the event (RequestResponse); an error type when it failed. */
  invoke(functionArn: string, event: unknown): Promise<{ errorType?: string }>;
}

/**
 * Runs rotations in the background, one per secret at a time. After finishSecret has moved AWSCURRENT to the new
 * version, AWSPENDING comes off it and LastRotatedDate is set (LocalStack's recording of AWS:
 * test_rotate_secret_with_lambda_success). A step that fails ends the rotation, leaving AWSPENDING where it is, as on
 * AWS. Rotations in flight when the node stops are not resumed.
 */
export class RotationRunner implements Rotations {
  private readonly inFlight = new Map<string, Promise<void>>();

  constructor(
    private readonly state: SecretState,
    private readonly functions: RotationFunctions,
    private readonly now: () => number,
    private readonly logger: Logger,
  ) {}

  canInvoke(functionArn: string): Promise<boolean> {
    return this.functions.exists(functionArn);
  }

  running(secretName: string): boolean {
    return this.inFlight.has(secretName);
  }

  start(secretName: string, token: string): void {
    const run = this.rotate(secretName, token)
      .catch((error: unknown) => this.logger.warn(`rotation of secret ${secretName} failed: ${error instanceof Error ? error.message : String(error)}`))
      .finally(() => this.inFlight.delete(secretName));
    this.inFlight.set(secretName, run);
  }

  /** Waits for the rotations in flight to end. */
  async close(): Promise<void> {
    await Promise.allSettled([...this.inFlight.values()]);
  }

  private async rotate(secretName: string, token: string): Promise<void> {
    const secret = await this.state.get(secretName);
    const functionArn = secret?.rotation?.lambdaArn;
    if (!secret || !functionArn) return;
    for (const step of STEPS) {
      const event = { Step: step, SecretId: secret.arn, ClientRequestToken: token, RotationToken: randomUUID() };
      const { errorType } = await this.functions.invoke(functionArn, event);
      if (errorType !== undefined) {
        this.logger.warn(`rotation of secret ${secretName}: the function ${functionArn} failed at ${step} (${errorType})`);
        return;
      }
    }
    await this.state.update(secretName, (s) => {
      const finished = s.versions.find((v) => v.id === token)?.stages.includes(CURRENT);
      if (!finished) return s;
      const versions = s.versions.map((v) => (v.id === token ? { ...v, stages: v.stages.filter((stage) => stage !== PENDING) } : v));
      return { ...s, versions, rotation: s.rotation && { ...s.rotation, lastRotatedAt: this.now() } };
    });
  }
}
