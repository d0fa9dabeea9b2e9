import { FlintError } from '../../core/index.js';
import { isAliasName, isVersion, LATEST, parseFunctionRef, type FunctionRef } from './arn.js';
import { arnOf, newRevisionId, type RegistryContext } from './context.js';
import { aliasNotFound, functionNotFound, invalid } from './errors.js';
import type { FunctionPolicy, PermissionStatement } from './types.js';

/**
 * Resource-based policies: one per function, per published version and per alias, as on Lambda, each a list of
 * statements that AddPermission appends and RemovePermission takes out. Messages are Lambda's (LocalStack's
 * recordings of AWS, test_lambda_api.snapshot.json, TestLambdaPermissions), which differ by operation for the same
 * missing resource.
 */

export interface PolicyWriteOptions {
  /** The policy's RevisionId (GetPolicy), or the function's, version's or alias's current one before any policy. */
  revisionId?: string;
}

export interface AddPermissionOptions extends PolicyWriteOptions {
  /** Checks the statements the policy would hold (Lambda's size limit is on the rendered document). */
  check?(statements: readonly PermissionStatement[]): void;
}

type Operation = 'add' | 'remove' | 'get';

/** What a policy belongs to: the function (no qualifier), a version or an alias, with its current RevisionId. */
interface PolicyTarget {
  name: string;
  qualifier?: string;
  revisionId: string;
}

const NO_RESOURCE = 'The resource you requested does not exist.';

export class Policies {
  constructor(private readonly ctx: RegistryContext) {}

  /** AddPermission: appends a statement whose id is new to the policy; returns the statement as stored. */
  async add(functionName: string, qualifier: string | undefined, statement: PermissionStatement, options: AddPermissionOptions = {}): Promise<PermissionStatement> {
    const ref = policyRef(functionName, qualifier);
    if (ref.qualifier === LATEST) throw invalid('We currently do not support adding policies for $LATEST.', 'value');
    return this.ctx.lock.run(ref.name, async () => {
      const target = await this.target(ref, 'add');
      const stored = await this.ctx.records.getPolicy(target.name, target.qualifier);
      checkPolicyRevision(options.revisionId, stored?.value.revisionId, target);
      const statements = stored?.value.statements ?? [];
      if (statements.some((s) => s.sid === statement.sid)) {
        throw new FlintError(
          'RESOURCE_CONFLICT',
          `The statement id (${statement.sid}) provided already exists. Please provide a new statement id, or remove the existing statement.`,
          { resource: this.arn(target), sid: statement.sid },
        );
      }
      const next = [...statements, statement];
      options.check?.(next);
      await this.write(target, { statements: next, revisionId: newRevisionId() }, stored?.revision ?? 0);
      return statement;
    });
  }

  /** RemovePermission: takes one statement out; the policy goes with its last statement. */
  async remove(functionName: string, qualifier: string | undefined, sid: string, options: PolicyWriteOptions = {}): Promise<void> {
    const ref = withoutLatest(policyRef(functionName, qualifier));
    await this.ctx.lock.run(ref.name, async () => {
      const target = await this.target(ref, 'remove');
      const stored = await this.ctx.records.getPolicy(target.name, target.qualifier);
      if (!stored) throw notFound('No policy is associated with the given resource.', this.arn(target));
      checkPolicyRevision(options.revisionId, stored.value.revisionId, target);
      const statements = stored.value.statements.filter((s) => s.sid !== sid);
      if (statements.length === stored.value.statements.length) throw notFound(`Statement ${sid} is not found in resource policy.`, this.arn(target));
      if (statements.length === 0) await this.ctx.records.deletePolicy(target.name, target.qualifier, stored.revision);
      else await this.write(target, { statements, revisionId: newRevisionId() }, stored.revision);
    });
  }

  /** GetPolicy: Lambda answers one message for a missing function, version, alias or policy. */
  async get(functionName: string, qualifier: string | undefined): Promise<FunctionPolicy> {
    const target = await this.target(withoutLatest(policyRef(functionName, qualifier)), 'get');
    const stored = await this.ctx.records.getPolicy(target.name, target.qualifier);
    if (!stored) throw notFound(NO_RESOURCE, this.arn(target));
    return stored.value;
  }

  private async write(target: PolicyTarget, policy: FunctionPolicy, ifRevision: number): Promise<void> {
    await this.ctx.records.putPolicy(target.name, target.qualifier, policy, ifRevision, this.arn(target));
  }

  private arn(target: { name: string; qualifier?: string }): string {
    return arnOf(this.ctx, target.name, target.qualifier);
  }

  /** The function, version or alias a policy call names, or Lambda's error for the operation when it is missing. */
  private async target(ref: FunctionRef, operation: Operation): Promise<PolicyTarget> {
    const fn = await this.ctx.records.getFunction(ref.name);
    if (!fn) {
      const resource = this.arn({ name: ref.name });
      if (operation === 'get') throw notFound(NO_RESOURCE, resource);
      throw operation === 'remove' ? notFound(`No policy found for: ${resource}`, resource) : functionNotFound(resource);
    }
    const { qualifier } = ref;
    if (qualifier === undefined) return { name: ref.name, revisionId: fn.value.config.revisionId };
    const resource = this.arn(ref);
    const missing = (error: FlintError): FlintError => (operation === 'get' ? notFound(NO_RESOURCE, resource) : error);
    if (isVersion(qualifier)) {
      const version = await this.ctx.records.getVersion(ref.name, qualifier);
      if (!version) throw missing(functionNotFound(resource));
      return { name: ref.name, qualifier, revisionId: version.config.revisionId };
    }
    // A qualifier that is neither a version nor an alias name ("a-$-b") can name nothing.
    if (!isAliasName(qualifier)) throw missing(functionNotFound(resource));
    const alias = await this.ctx.records.getAlias(ref.name, qualifier);
    if (!alias) throw missing(aliasNotFound(resource));
    return { name: ref.name, qualifier, revisionId: alias.value.revisionId };
  }
}

/** The function and qualifier named by FunctionName (which may end in ":qualifier") and the Qualifier parameter. */
function policyRef(functionName: string, qualifier: string | undefined): FunctionRef {
  const ref = parseFunctionRef(functionName);
  if (qualifier === undefined || qualifier === '') return ref;
  if (ref.qualifier !== undefined && ref.qualifier !== qualifier) {
    throw invalid('The derived qualifier from the function name does not match the specified qualifier.', 'value');
  }
  return { name: ref.name, qualifier };
}

/** GetPolicy and RemovePermission on $LATEST mean the function's own policy (AddPermission refuses $LATEST). */
function withoutLatest(ref: FunctionRef): FunctionRef {
  return ref.qualifier === LATEST ? { name: ref.name } : ref;
}

/**
 * Lambda takes the policy's RevisionId; before a policy exists, the function's (version's, alias's). Flint gives a
 * policy its own RevisionId and leaves the function's alone, so either is accepted (see the Lambda fidelity note).
 */
function checkPolicyRevision(given: string | undefined, policyRevision: string | undefined, target: PolicyTarget): void {
  if (given === undefined || given === policyRevision || given === target.revisionId) return;
  throw new FlintError(
    'PRECONDITION_FAILED',
    'The Revision Id provided does not match the latest Revision Id. Call the GetPolicy API to retrieve the latest Revision Id',
    { resource: target.name },
  );
}

function notFound(message: string, resource: string): FlintError {
  return new FlintError('NOT_FOUND', message, { resource });
}
