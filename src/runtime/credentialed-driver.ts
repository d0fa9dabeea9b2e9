import type { InstanceCgroup } from './cgroups/index.js';
import type { Driver, DriverEvents, FirstInvoke } from './driver.js';
import type { InstanceCredentials, InvokeRequest } from './types.js';

/**
 * A driver whose process needs credentials that are still being issued (the function role's STS session): start
 * waits for them, then builds and starts the real driver. Invokes only follow the real driver's `ready`, so they
 * always find it. Credentials that cannot be issued fail the start as a crashed init would, never falling back to
 * broader ones.
 */
export class CredentialedDriver implements Driver {
  private real: Driver | undefined;
  private starting: Promise<void> | undefined;
  private destroyed = false;

  constructor(
    private readonly credentials: Promise<InstanceCredentials>,
    private readonly build: (credentials: InstanceCredentials) => Driver,
  ) {}

  get pid(): number | undefined {
    return this.real?.pid;
  }

  get cgroup(): InstanceCgroup | undefined {
    return this.real?.cgroup;
  }

  start(events: DriverEvents, first?: FirstInvoke): void {
    this.starting = this.credentials.then(
      (credentials) => {
        if (this.destroyed) return;
        this.real = this.build(credentials);
        this.real.start(events, first);
      },
      (error: unknown) => {
        events.log(`Flint could not issue the function role's credentials: ${error instanceof Error ? error.message : String(error)}`, null);
        events.exit(1, null);
      },
    );
  }

  invoke(request: InvokeRequest, deadlineMs: number): void {
    this.real?.invoke(request, deadlineMs);
  }

  async destroy(): Promise<void> {
    this.destroyed = true;
    await this.starting;
    await this.real?.destroy();
  }
}
