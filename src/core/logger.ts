/**
 * Readable logs for people: `12:00:01.123 INFO  [invoker] message key=value`. Sinks are injected so tests
 * and the CLI decide where lines go.
 */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

const LEVEL_RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
  child(component: string): Logger;
  /** Whether a level is written: hot paths skip building fields nobody will read. */
  enabled(level: LogLevel): boolean;
}

export interface LoggerOptions {
  level?: LogLevel;
  component?: string;
  write?: (line: string) => void;
  now?: () => number;
}

export function createLogger(options: LoggerOptions = {}): Logger {
  const level = options.level ?? 'info';
  const write = options.write ?? ((line: string) => process.stderr.write(line + '\n'));
  const now = options.now ?? Date.now;
  const component = options.component;

  const log = (at: LogLevel, message: string, fields?: Record<string, unknown>): void => {
    if (LEVEL_RANK[at] < LEVEL_RANK[level]) return;
    const time = new Date(now()).toISOString().slice(11, 23);
    const tag = component ? ` [${component}]` : '';
    write(`${time} ${at.toUpperCase().padEnd(5)}${tag} ${message}${formatFields(fields)}`);
  };

  return {
    debug: (m, f) => log('debug', m, f),
    info: (m, f) => log('info', m, f),
    warn: (m, f) => log('warn', m, f),
    error: (m, f) => log('error', m, f),
    child: (name) => createLogger({ ...options, component: component ? `${component}:${name}` : name }),
    enabled: (at) => LEVEL_RANK[at] >= LEVEL_RANK[level],
  };
}

/** A logger that drops everything, for tests and embedding. */
export const silentLogger: Logger = {
  debug: () => {},
  info: () => {},
  warn: () => {},
  error: () => {},
  child: () => silentLogger,
  enabled: () => false,
};

function formatFields(fields?: Record<string, unknown>): string {
  if (!fields) return '';
  const parts = Object.entries(fields)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k}=${typeof v === 'string' && !/\s/.test(v) ? v : JSON.stringify(v)}`);
  return parts.length ? ' ' + parts.join(' ') : '';
}
