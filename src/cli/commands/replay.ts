import { resolve } from 'node:path';
import { FixedKeepAlive, HybridHistogramKeepAlive, loadAzureTrace, replayTrace, type KeepAlivePolicy, type ReplayReport } from '../../invoker/index.js';
import { EXIT, parse, UsageError } from '../args.js';
import { table } from '../output.js';
import type { Command } from './command.js';

const HELP = `Usage: flint replay <trace> [options]

Replays a real invocation trace through Flint's scheduler on a simulated clock and reports, per keep-alive
policy, the cold-start rate, the instances started and the idle instance memory-time (GB-s of memory kept
warm but unused). <trace> is an Azure Functions 2019 sample: N_inv.csv, with N_run.csv (durations) and
N_mem.csv (memory) beside it.

Options:
      --policy <p>      fixed | adaptive | all (default all: fixed 10 min, adaptive, and the paper's rule)
      --keep-alive <m>  minutes for the fixed policy (default 10)
      --sweep           also run fixed policies of 1, 5, 20, 30 and 60 minutes, to show the trade-off
      --init-ms <ms>    how long a simulated instance takes to start (default 250)
  -h, --help            show this help`;

export const replay: Command = {
  name: 'replay',
  summary: 'replay an invocation trace and compare keep-alive policies',
  help: HELP,
  async run(argv, out) {
    const { values, positionals } = parse(argv, { policy: { type: 'string' }, 'keep-alive': { type: 'string' }, sweep: { type: 'boolean' }, 'init-ms': { type: 'string' } });
    const [file, ...rest] = positionals;
    if (!file || rest.length) throw new UsageError('flint replay takes one trace file (N_inv.csv)');
    const which = (values.policy as string | undefined) ?? 'all';
    if (!['fixed', 'adaptive', 'all'].includes(which)) throw new UsageError(`--policy is fixed, adaptive or all, not '${which}'`);
    const minutes = Number(values['keep-alive'] ?? 10);
    if (!(minutes > 0)) throw new UsageError('--keep-alive takes a number of minutes');
    const initMs = Number(values['init-ms'] ?? 250);
    const policies = choosePolicies(which, minutes, Boolean(values.sweep));
    const trace = await loadAzureTrace(resolve(file));
    const invocations = trace.functions.reduce((sum, f) => sum + f.perMinute.reduce((a, b) => a + b, 0), 0);
    out.step(`replaying ${trace.name}: ${trace.functions.length} functions, ${invocations} invocations over ${trace.minutes} minutes`);
    const reports: Array<[string, ReplayReport]> = [];
    for (const [label, policy] of policies) {
      out.step(`policy ${label}…`);
      reports.push([label, await replayTrace(trace, policy, { initMs })]);
    }
    out.result(render(reports));
    return EXIT.ok;
  },
};

function choosePolicies(which: string, minutes: number, sweep: boolean): Array<[string, KeepAlivePolicy]> {
  const fixed = (m: number): [string, KeepAlivePolicy] => [`fixed ${m} min`, new FixedKeepAlive(m * 60_000)];
  const policies: Array<[string, KeepAlivePolicy]> = [];
  if (which !== 'adaptive') policies.push(fixed(minutes));
  if (sweep) for (const m of [1, 5, 20, 30, 60]) if (m !== minutes) policies.push(fixed(m));
  if (which !== 'fixed') {
    policies.push(['adaptive (histogram, cost)', new HybridHistogramKeepAlive()]);
    if (which === 'all') policies.push(['adaptive (paper percentiles, pre-warm)', new HybridHistogramKeepAlive({ strategy: 'percentile' })]);
  }
  return policies;
}

function render(reports: Array<[string, ReplayReport]>): string {
  const base = reports[0]?.[1];
  const rows = [['POLICY', 'INVOCATIONS', 'COLD STARTS', 'COLD-START RATE', 'INSTANCE STARTS', 'IDLE GB-S', 'VS FIRST (COLD / IDLE)']];
  for (const [label, r] of reports) {
    const ratio = base ? `${(r.coldStarts / Math.max(1, base.coldStarts)).toFixed(2)}× / ${(r.idleGbSeconds / Math.max(1e-9, base.idleGbSeconds)).toFixed(2)}×` : '';
    rows.push([label, String(r.invocations), String(r.coldStarts), `${(r.coldStartRate * 100).toFixed(2)}%`, String(r.instanceStarts), r.idleGbSeconds.toFixed(0), ratio]);
  }
  return table(rows);
}
