/**
 * Lambda's runtime identifiers, as Lambda names them, and the family Flint runs each with. Flint runs every
 * identifier of a family on what the machine has (Node.js 20, the system Python 3), and says so when the
 * version differs.
 */
export type RuntimeFamily = 'nodejs' | 'python' | 'provided';

export interface RuntimeInfo {
  id: string;
  family: RuntimeFamily;
  /** The language version the identifier promises ("20" for nodejs20.x, "3.12" for python3.12). */
  version?: string;
}

const NODE_VERSIONS = ['18', '20', '22', '24'];
const PYTHON_VERSIONS = ['3.9', '3.10', '3.11', '3.12', '3.13', '3.14'];

/** What a flint.yaml may name: the runtimes Flint runs that Lambda still supports (and `provided`, kept for old apps). */
export const RUNTIMES: readonly RuntimeInfo[] = [
  ...NODE_VERSIONS.map((v) => ({ id: `nodejs${v}.x`, family: 'nodejs' as const, version: v })),
  ...PYTHON_VERSIONS.map((v) => ({ id: `python${v}`, family: 'python' as const, version: v })),
  { id: 'provided', family: 'provided' },
  { id: 'provided.al2', family: 'provided' },
  { id: 'provided.al2023', family: 'provided' },
];

export const RUNTIME_IDS: readonly string[] = RUNTIMES.map((r) => r.id);

/** Past their deprecation, Lambda still takes these for new functions; Flint runs them, the manifest does not offer them. */
const LEGACY: readonly RuntimeInfo[] = [
  { id: 'nodejs16.x', family: 'nodejs', version: '16' },
  { id: 'python3.8', family: 'python', version: '3.8' },
];

const RUNNABLE: readonly RuntimeInfo[] = [...RUNTIMES, ...LEGACY];

/** The family Flint runs a runtime with; undefined for runtimes Flint has no launcher for (java, dotnet, ruby). */
export function runtimeInfo(id: string): RuntimeInfo | undefined {
  return RUNNABLE.find((r) => r.id === id);
}

/**
 * Every identifier Lambda accepts for creating or updating a function, in the order Lambda lists them when it
 * refuses another (LocalStack's recording of AWS, test_lambda_api.snapshot.json, test_create_lambda_exceptions:
 * invalid_runtime_exc, January 2026), then ruby4.0, which Lambda's model has added since. Lambda's runtime list:
 * https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtimes.html
 */
export const LAMBDA_RUNTIME_IDS: readonly string[] = [
  'nodejs20.x', 'python3.14', 'provided.al2023', 'python3.12', 'python3.13', 'nodejs24.x', 'nodejs22.x', 'java25', 'python3.10',
  'python3.11', 'java21', 'ruby3.3', 'ruby3.4', 'ruby3.2', 'python3.8', 'python3.9', 'java17', 'nodejs16.x', 'dotnet10', 'dotnet8',
  'java11', 'dotnet6', 'nodejs18.x', 'provided.al2', 'java8.al2', 'ruby4.0',
];

export function isLambdaRuntime(id: string): boolean {
  return LAMBDA_RUNTIME_IDS.includes(id);
}
