/** IAM policy wildcards (S3 bucket policies, API Gateway authorizer policies): `*` any run of characters, `?` one character; actions compare without case, resources with it. */
export function wildcardMatch(pattern: string, text: string, ignoreCase: boolean): boolean {
  if (!pattern.includes('*') && !pattern.includes('?')) return ignoreCase ? pattern.toLowerCase() === text.toLowerCase() : pattern === text;
  const source = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${source}$`, ignoreCase ? 'is' : 's').test(text);
}
