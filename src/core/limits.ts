/** Lambda's documented quotas, in one place so every layer enforces the same numbers. */
export const LIMITS = {
  syncPayloadBytes: 6 * 1024 * 1024,
  /** A synchronous response may be this large; Lambda reports 6291556 in its error message. */
  syncResponseBytes: 6 * 1024 * 1024,
  asyncPayloadBytes: 1024 * 1024,
  memoryMb: { min: 128, max: 10240, default: 128 },
  timeoutSeconds: { min: 1, max: 900, default: 3 },
  ephemeralMb: { min: 512, max: 10240, default: 512 },
  functionName: { max: 64 },
  /** Bytes of log tail returned in X-Amz-Log-Result. */
  logTailBytes: 4096,
  /** Default node-wide concurrency, as Lambda's default account limit. */
  accountConcurrency: 1000,
} as const;
