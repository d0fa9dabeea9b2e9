/**
 * Where a request to a function URL names its URL id: the host AWS gives (`<url-id>.lambda-url.<region>.on.aws`), the
 * same under `.localhost` (`<url-id>.lambda-url.<region>.localhost:<port>`, which resolves to this machine in browsers
 * and curl), or the node's path form (`http://<node>/_flint/url/<url-id>/<path>`) for clients that resolve no
 * subdomains. What the function sees as rawPath is the path after the URL id.
 */
export interface UrlAddress {
  urlId: string;
  /** The path the function sees, percent-encoded as received. */
  rawPath: string;
  /** The domain the event names: the host as AWS would give it. */
  domainName: string;
}

const HOST = /^([a-z0-9]{32})\.lambda-url\.([a-z0-9-]+)\.(on\.aws|localhost)(:\d+)?$/i;
const PATH = /^\/_flint\/url\/([a-z0-9]{32})(\/.*)?$/i;
/** Where the path form lives, for the gateway's routing. */
export const URL_PATH_PREFIX = '/_flint/url/';

export function urlAddressOf(host: string, rawPath: string, nodeRegion: string): UrlAddress | undefined {
  const byHost = HOST.exec(host);
  if (byHost) return { urlId: byHost[1]!.toLowerCase(), rawPath, domainName: `${byHost[1]!.toLowerCase()}.lambda-url.${byHost[2]!}.on.aws` };
  const byPath = PATH.exec(rawPath);
  if (byPath) {
    const urlId = byPath[1]!.toLowerCase();
    return { urlId, rawPath: byPath[2] ?? '/', domainName: `${urlId}.lambda-url.${nodeRegion}.on.aws` };
  }
  return undefined;
}

/** Whether a request is for a function URL (the gateway asks before any other routing: IAM-signed calls included). */
export function isFunctionUrlRequest(host: string, rawPath: string): boolean {
  return HOST.test(host) || rawPath.startsWith(URL_PATH_PREFIX);
}

/** The addresses a user types to reach a URL on this node: the `.localhost` host and the path form. */
export function localUrls(urlId: string, region: string, nodeUrl: string): { host: string; path: string } {
  const node = new URL(nodeUrl);
  return { host: `${node.protocol}//${urlId}.lambda-url.${region}.localhost:${node.port}/`, path: `${node.origin}${URL_PATH_PREFIX}${urlId}/` };
}
