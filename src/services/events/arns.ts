/** EventBridge ARNs: `event-bus/<name>`, and `rule/<name>` on the default bus or `rule/<bus>/<name>` on others. */
export const DEFAULT_BUS = 'default';

export interface Scope {
  region: string;
  accountId: string;
}

export function busArn(scope: Scope, name: string): string {
  return `arn:aws:events:${scope.region}:${scope.accountId}:event-bus/${name}`;
}

export function ruleArn(scope: Scope, bus: string, name: string): string {
  const path = bus === DEFAULT_BUS ? name : `${bus}/${name}`;
  return `arn:aws:events:${scope.region}:${scope.accountId}:rule/${path}`;
}

/** A bus named by name or ARN (EventBusName takes both); the default bus when absent. */
export function busNameOf(nameOrArn: string | undefined): string {
  if (nameOrArn === undefined || nameOrArn === '') return DEFAULT_BUS;
  const marker = ':event-bus/';
  const at = nameOrArn.startsWith('arn:') ? nameOrArn.indexOf(marker) : -1;
  return at < 0 ? nameOrArn : nameOrArn.slice(at + marker.length);
}

/** What a resource ARN names: a bus, a rule (with its bus), or nothing EventBridge has. */
export function resourceOf(arn: string): { kind: 'bus'; bus: string } | { kind: 'rule'; bus: string; name: string } | undefined {
  const match = /^arn:aws[\w-]*:events:[^:]*:\d{12}:(event-bus|rule)\/(.+)$/.exec(arn);
  if (!match) return undefined;
  const [, kind, path] = match as unknown as [string, string, string];
  if (kind === 'event-bus') return { kind: 'bus', bus: path };
  const slash = path.lastIndexOf('/');
  return slash < 0 ? { kind: 'rule', bus: DEFAULT_BUS, name: path } : { kind: 'rule', bus: path.slice(0, slash), name: path.slice(slash + 1) };
}

/** The AWS service an ARN belongs to ("sqs", "lambda"...). */
export function serviceOfArn(arn: string): string | undefined {
  const parts = arn.split(':');
  return parts.length >= 6 && parts[0] === 'arn' ? parts[2] : undefined;
}
