import { silentLogger, type Clock } from '../../src/core/index.js';
import { Gateway, type MountedService } from '../../src/gateway/index.js';
import { HttpApis } from '../../src/services/apigateway/index.js';

/** A gateway listening on a free local port. */
export interface TestGateway {
  url: string;
  port: number;
  close(): Promise<void>;
}

/**
 * Starts the real gateway on 127.0.0.1 and a free port with only the given AWS services mounted, so a test reaches
 * them over HTTP as clients do. No admin API and no HTTP APIs: a test that hits either has taken a wrong turn.
 */
export async function startTestGateway(services: Record<string, MountedService>, clock: Clock): Promise<TestGateway> {
  const gateway = new Gateway({
    host: '127.0.0.1',
    port: 0,
    services,
    admin: { handle: async () => ({ status: 404 }) },
    apis: new HttpApis(async () => {
      throw new Error('no apis');
    }),
    clock,
    logger: silentLogger,
  });
  const { url, port } = await gateway.start();
  return { url, port, close: () => gateway.close() };
}
