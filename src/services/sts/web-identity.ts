import { stsError } from './errors.js';

/**
 * The claims of a web identity token (an OpenID Connect ID token, a JWT). Flint reads them for the answer
 * (SubjectFromWebIdentityToken, Audience, Provider) and refuses a token that is not a JWT or has expired, as STS
 * does; it does not verify the signature against the provider's keys (no OIDC providers are configured in IAM).
 */
export interface WebIdentityClaims {
  subject: string;
  audience?: string;
  issuer?: string;
}

export function readWebIdentityToken(token: string, now: number): WebIdentityClaims {
  const claims = payload(token);
  if (!claims || typeof claims.sub !== 'string') throw stsError('InvalidIdentityTokenException', 'The ID Token provided is not a valid JWT. (You may see this error if you sent an Access Token)');
  if (typeof claims.exp === 'number' && claims.exp * 1000 <= now) {
    throw stsError('ExpiredTokenException', `Token expired: current date/time ${Math.floor(now / 1000)} must be before the expiration date/time ${claims.exp}`);
  }
  const audience = Array.isArray(claims.aud) ? claims.aud[0] : claims.aud;
  return { subject: claims.sub, audience: typeof audience === 'string' ? audience : undefined, issuer: typeof claims.iss === 'string' ? claims.iss : undefined };
}

function payload(token: string): Record<string, unknown> | undefined {
  const parts = token.split('.');
  if (parts.length !== 3) return undefined;
  try {
    const value: unknown = JSON.parse(Buffer.from(parts[1]!, 'base64url').toString('utf8'));
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
