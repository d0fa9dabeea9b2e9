import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { megabytes, type Progress } from './cache.js';

/** The registry npm itself would use: $npm_config_registry (set by npm and by users), else the public one. */
export function registryUrl(env: NodeJS.ProcessEnv = process.env): string {
  const configured = env.npm_config_registry || env.NPM_CONFIG_REGISTRY || 'https://registry.npmjs.org/';
  return configured.endsWith('/') ? configured : configured + '/';
}

export interface PublishedVersion {
  version: string;
  dist: { tarball: string; integrity?: string };
}

/** A package's versions from the registry's abbreviated metadata (what npm install reads). */
export async function publishedVersions(name: string, registry = registryUrl()): Promise<PublishedVersion[]> {
  const response = await fetch(registry + name.replace('/', '%2f'), {
    headers: { accept: 'application/vnd.npm.install-v1+json' },
    signal: AbortSignal.timeout(60_000),
  });
  if (!response.ok) throw new Error(`${registry} answered ${response.status} for ${name}`);
  const document = (await response.json()) as { versions?: Record<string, PublishedVersion> };
  return Object.values(document.versions ?? {});
}

/** Numeric order of plain x.y.z versions; pre-releases are never chosen. */
export function compareVersions(a: string, b: string): number {
  const [pa, pb] = [a.split('.').map(Number), b.split('.').map(Number)];
  for (let i = 0; i < 3; i++) if ((pa[i] ?? 0) !== (pb[i] ?? 0)) return (pa[i] ?? 0) - (pb[i] ?? 0);
  return 0;
}

export function isRelease(version: string): boolean {
  return /^\d+\.\d+\.\d+$/.test(version);
}

/**
 * Downloads a tarball to `file`, telling progress at every quarter, and checks it against the registry's
 * integrity string (sha512) before anyone unpacks it.
 */
export async function downloadTarball(published: PublishedVersion, file: string, label: string, progress?: Progress): Promise<void> {
  const response = await fetch(published.dist.tarball, { signal: AbortSignal.timeout(15 * 60_000) });
  if (!response.ok || !response.body) throw new Error(`${published.dist.tarball} answered ${response.status}`);
  const total = Number(response.headers.get('content-length')) || 0;
  progress?.(`fetching ${label}${total ? ` (${megabytes(total)})` : ''} from ${new URL(published.dist.tarball).host}`);
  const [algorithm, expected] = (published.dist.integrity ?? '').split('-', 2);
  const hash = algorithm && expected ? createHash(algorithm) : undefined;
  const out = createWriteStream(file);
  let received = 0;
  let nextQuarter = 1;
  try {
    for await (const chunk of response.body as AsyncIterable<Uint8Array>) {
      hash?.update(chunk);
      if (!out.write(chunk)) await once(out, 'drain');
      received += chunk.length;
      if (total && received >= (total * nextQuarter) / 4 && nextQuarter < 4) {
        progress?.(`  ${label}: ${megabytes(received)} of ${megabytes(total)}`);
        nextQuarter = Math.floor((received * 4) / total) + 1;
      }
    }
  } finally {
    out.end();
    await once(out, 'close');
  }
  if (hash && hash.digest('base64') !== expected) throw new Error(`${label}: the download does not match the registry's ${algorithm} integrity`);
}
