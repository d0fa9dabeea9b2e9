/** What the verifier needs to know of an access key: its secret and, for temporary credentials, the session. */
export interface KeySecret {
  secretAccessKey: string;
  /** Temporary credentials: the token that must come with the key, and when they stop working (ms). */
  sessionToken?: string;
  expiration?: number;
}

/** Finds the secret of an access key Flint issued (an IAM user's, an STS session's, the root key); undefined if none. */
export type SecretLookup = (accessKeyId: string) => Promise<KeySecret | undefined>;
