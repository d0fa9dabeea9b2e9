import { parseCondition, parseProjection, parseUpdate, type ParsedCondition, type ParsedProjection, type ParsedUpdate } from './parse.js';
import { ExpressionError } from './syntax.js';

/** Distinct expression texts kept per kind; applications use a handful, so this bound is rarely reached. */
const MAX_ENTRIES = 2000;

type Outcome<T> = { parsed: T } | { error: ExpressionError };

/**
 * Parsed expressions by their text, so a request that repeats an expression (almost every request does) skips
 * the parser. Syntax errors are remembered too. The oldest entry goes when a kind is full.
 */
export class ExpressionCache {
  private readonly conditions = new Map<string, Outcome<ParsedCondition>>();
  private readonly updates = new Map<string, Outcome<ParsedUpdate>>();
  private readonly projections = new Map<string, Outcome<ParsedProjection>>();

  condition(source: string): ParsedCondition {
    return lookup(this.conditions, source, parseCondition);
  }

  update(source: string): ParsedUpdate {
    return lookup(this.updates, source, parseUpdate);
  }

  projection(source: string): ParsedProjection {
    return lookup(this.projections, source, parseProjection);
  }
}

function lookup<T>(cache: Map<string, Outcome<T>>, source: string, parse: (source: string) => T): T {
  let outcome = cache.get(source);
  if (!outcome) {
    try {
      outcome = { parsed: parse(source) };
    } catch (error) {
      if (!(error instanceof ExpressionError)) throw error;
      outcome = { error };
    }
    if (cache.size >= MAX_ENTRIES) cache.delete(cache.keys().next().value as string);
    cache.set(source, outcome);
  }
  if ('error' in outcome) throw outcome.error;
  return outcome.parsed;
}
