/**
 * Flint's own HTTP API under /_flint/, used by the CLI and the dashboard: deploy, read back (the spec) and remove apps, list
 * functions, read logs, download code, reset the node for a fresh test run. JSON in, JSON out; errors as {"error": {"code", "message"}} with a
 * FlintError code, so clients branch on codes.
 */
import { toFlintError, type Service, type ServiceRequest, type ServiceResponse } from '../../core/index.js';
import type { AdminBackend } from './types.js';
import { decodePreparedApp } from './wire.js';

const STATUS_BY_CODE: Record<string, number> = {
  FUNCTION_NOT_FOUND: 404,
  NOT_FOUND: 404,
  MANIFEST_INVALID: 400,
  INVALID_PARAMETER: 400,
  INVALID_REQUEST: 400,
  BUNDLE_FAILED: 400,
  CODE_INVALID: 400,
  ROUTE_CONFLICT: 409,
  RESOURCE_CONFLICT: 409,
  REQUEST_TOO_LARGE: 413,
  FORBIDDEN: 403,
};

/** Deploys carry whole code packages, base64-encoded. */
export const ADMIN_BODY_LIMIT = 512 * 1024 * 1024;

export class AdminService implements Service {
  constructor(private readonly backend: AdminBackend) {}

  async handle(req: ServiceRequest): Promise<ServiceResponse> {
    try {
      return await this.route(req);
    } catch (error) {
      const flint = toFlintError(error);
      return json(STATUS_BY_CODE[flint.code] ?? 500, { error: { code: flint.code, message: flint.message, details: flint.details } });
    }
  }

  private async route(req: ServiceRequest): Promise<ServiceResponse> {
    const path = req.rawPath.replace(/^\/_flint/, '');
    const segments = path.split('/').filter(Boolean).map(decodeURIComponent);
    const [resource, name] = segments;
    const method = req.method;
    if (resource === 'health' && method === 'GET') return json(200, await this.backend.status());
    if (resource === 'reset' && !name && method === 'POST') {
      await this.backend.reset();
      return json(200, { reset: true });
    }
    if (resource === 'apps' && !name && method === 'GET') return json(200, { apps: await this.backend.listApps() });
    if (resource === 'apps' && name && method === 'PUT') return this.deploy(req, name);
    if (resource === 'apps' && name && method === 'GET') {
      const spec = await this.backend.appSpec(name);
      return spec ? json(200, { spec }) : json(404, { error: { code: 'NOT_FOUND', message: `no app named '${name}' (or it was deployed before Flint kept apps' specs: deploy it again)` } });
    }
    if (resource === 'apps' && name && method === 'DELETE') {
      return (await this.backend.removeApp(name)) ? json(200, { removed: name }) : json(404, { error: { code: 'NOT_FOUND', message: `no app named '${name}'` } });
    }
    if (resource === 'functions' && !name && method === 'GET') return json(200, { functions: await this.backend.listFunctions() });
    if (resource === 'logs' && name && method === 'GET') return this.logs(req, name);
    if (resource === 'code' && name && method === 'GET') {
      const zip = await this.backend.codeZip(name.replace(/\.zip$/, ''));
      if (!zip) return json(404, { error: { code: 'NOT_FOUND', message: 'no such code package' } });
      return { status: 200, headers: { 'content-type': 'application/zip' }, body: Buffer.from(zip) };
    }
    return json(404, { error: { code: 'NOT_FOUND', message: `no admin endpoint ${method} ${req.rawPath}` } });
  }

  private async deploy(req: ServiceRequest, name: string): Promise<ServiceResponse> {
    const body = await req.body.read(ADMIN_BODY_LIMIT);
    if (!body) return json(413, { error: { code: 'REQUEST_TOO_LARGE', message: `request body exceeds ${ADMIN_BODY_LIMIT} bytes` } });
    const decoded = decodePreparedApp(body.toString('utf8'));
    if ('problems' in decoded) return json(400, { error: { code: 'INVALID_REQUEST', message: decoded.problems.join('\n') } });
    if (decoded.app.spec.name !== name) return json(400, { error: { code: 'INVALID_REQUEST', message: `the URL names app '${name}' but the spec is '${decoded.app.spec.name}'` } });
    return json(200, await this.backend.deployApp(decoded.app));
  }

  private async logs(req: ServiceRequest, functionName: string): Promise<ServiceResponse> {
    const number = (key: string): number | undefined => {
      const value = req.query.get(key);
      return value === null || value === '' || !Number.isFinite(Number(value)) ? undefined : Number(value);
    };
    const records = await this.backend.logs({ functionName, since: number('since'), afterId: number('afterId'), limit: number('limit') });
    return json(200, { records });
  }
}

function json(status: number, body: unknown): ServiceResponse {
  return { status, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
}
