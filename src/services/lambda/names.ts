import { FlintError, isFlintError } from '../../core/index.js';
import { LATEST, parseFunctionRef, type FunctionRegistry } from '../../functions/index.js';

/** The qualifier a call names, in the Qualifier parameter or at the end of the function name or ARN. */
export function givenQualifier(functionName: string, qualifier: string | undefined): string | undefined {
  if (qualifier !== undefined) return qualifier;
  try {
    return parseFunctionRef(functionName).qualifier;
  } catch {
    return undefined; // the registry reports the malformed name itself
  }
}

/**
 * Invoke and PutFunctionConcurrency name "$LATEST" when an unqualified function is missing
 * ("Function not found: arn:…:function:name:$LATEST"); the registry names the unqualified ARN.
 */
export function latestNotFound(error: unknown, registry: FunctionRegistry, functionName: string, qualifier: string | undefined): unknown {
  if (!isFlintError(error, 'FUNCTION_NOT_FOUND') || givenQualifier(functionName, qualifier) !== undefined) return error;
  let unqualified: string;
  try {
    unqualified = registry.arn(parseFunctionRef(functionName).name);
  } catch {
    return error;
  }
  if (error.details.resource !== unqualified) return error;
  const resource = `${unqualified}:${LATEST}`;
  return new FlintError('FUNCTION_NOT_FOUND', `Function not found: ${resource}`, { ...error.details, resource }, { cause: error });
}
