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

const NODE_VERSIONS = ['18', '20', '22'];
const PYTHON_VERSIONS = ['3.9', '3.10', '3.11', '3.12', '3.13'];

export const RUNTIMES: readonly RuntimeInfo[] = [
  ...NODE_VERSIONS.map((v) => ({ id: `nodejs${v}.x`, family: 'nodejs' as const, version: v })),
  ...PYTHON_VERSIONS.map((v) => ({ id: `python${v}`, family: 'python' as const, version: v })),
  { id: 'provided', family: 'provided' },
  { id: 'provided.al2', family: 'provided' },
  { id: 'provided.al2023', family: 'provided' },
];

export const RUNTIME_IDS: readonly string[] = RUNTIMES.map((r) => r.id);

export function runtimeInfo(id: string): RuntimeInfo | undefined {
  return RUNTIMES.find((r) => r.id === id);
}
