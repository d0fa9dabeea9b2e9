import { readFile } from 'node:fs/promises';
import { FlintError } from '../../core/index.js';

/** One function of an Azure Functions 2019 trace sample: per-minute invocations, duration, memory. */
export interface TraceFunction {
  id: string;
  app: string;
  /** Invocations in each minute of the day. */
  perMinute: number[];
  averageDurationMs: number;
  memoryMb: number;
}

export interface Trace {
  name: string;
  functions: TraceFunction[];
  minutes: number;
}

const DEFAULT_DURATION_MS = 1000;
const DEFAULT_MEMORY_MB = 128;

/**
 * Reads `N_inv.csv` with its `N_run.csv` (durations) and `N_mem.csv` (memory per app) siblings, as cut by
 * vhive-serverless/invitro from the Azure Functions Trace 2019. Functions missing from the run or memory
 * file get a 1 s duration and 128 MB.
 */
export async function loadAzureTrace(invocationsFile: string): Promise<Trace> {
  if (!invocationsFile.endsWith('_inv.csv')) throw new FlintError('INVALID_PARAMETER', `a trace is an N_inv.csv file, not ${invocationsFile}`);
  const base = invocationsFile.slice(0, -'_inv.csv'.length);
  const [inv, run, mem] = await Promise.all([readCsv(invocationsFile), readCsv(`${base}_run.csv`).catch(() => []), readCsv(`${base}_mem.csv`).catch(() => [])]);
  const durations = new Map(run.slice(1).map((r) => [r[0]!, Number(r[4])]));
  const memories = new Map(mem.slice(1).map((r) => [r[0]!, Number(r[3])]));
  const header = inv[0] ?? [];
  const minutes = header.filter((h) => h.startsWith('minute_')).length;
  if (minutes === 0) throw new FlintError('INVALID_PARAMETER', `${invocationsFile} has no minute_N columns`);
  const functions = inv.slice(1).filter((r) => r.length >= 3 + minutes).map((r) => ({
    id: r[0]!,
    app: r[1]!,
    perMinute: r.slice(3, 3 + minutes).map(Number),
    averageDurationMs: positive(durations.get(r[0]!)) ?? DEFAULT_DURATION_MS,
    memoryMb: positive(memories.get(r[1]!)) ?? DEFAULT_MEMORY_MB,
  }));
  return { name: base.split('/').pop() ?? base, functions, minutes };
}

function positive(value: number | undefined): number | undefined {
  return value !== undefined && Number.isFinite(value) && value > 0 ? value : undefined;
}

async function readCsv(file: string): Promise<string[][]> {
  const text = await readFile(file, 'utf8');
  return text.split('\n').filter((line) => line.trim()).map((line) => line.split(','));
}
