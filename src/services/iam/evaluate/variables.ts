import type { ContextValues } from './types.js';

const VARIABLE = /\$\{([^}]*)\}/g;

/**
 * Replaces policy variables in a Resource or condition value
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html): `${aws:username}` takes the
 * request's value of the key, `${key, 'default'}` a default when the key is missing, and `${*}`, `${?}`, `${$}` stand
 * for the literal characters. A key that is missing (and has no default) or is multivalued makes the value match
 * nothing: undefined.
 */
export function substitute(text: string, context: ContextValues): string | undefined {
  if (!text.includes('${')) return text;
  let missing = false;
  const result = text.replace(VARIABLE, (_whole, inner: string) => {
    const [name = '', ...rest] = inner.split(',');
    const key = name.trim();
    if (key === '*' || key === '?' || key === '$') return key;
    const value = context.get(key.toLowerCase());
    if (typeof value === 'string') return value;
    const fallback = /^\s*'(.*)'\s*$/.exec(rest.join(','));
    if (value === undefined && fallback) return fallback[1] ?? '';
    missing = true;
    return '';
  });
  return missing ? undefined : result;
}
