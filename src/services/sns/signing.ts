import { createPrivateKey, createSign, generateKeyPair, randomBytes, type KeyObject } from 'node:crypto';
import { promisify } from 'node:util';
import { isFlintError, type Clock } from '../../core/index.js';
import type { MetadataStore } from '../../storage/index.js';
import { selfSignedCertificate } from './certificate.js';

/**
 * SNS's message signatures. Each node has one RSA key and a self-signed certificate for it, made on first use and
 * kept in the metadata store (so a restart, or another node sharing the database, signs with the same key and
 * subscribers' cached certificates stay valid). Messages are signed as SNS documents
 * (https://docs.aws.amazon.com/sns/latest/dg/sns-verify-signature-of-message.html): the string to sign is the
 * message's fields in a fixed order, each as "Name\nValue\n"; SignatureVersion 1 signs it with SHA1withRSA,
 * version 2 with SHA256withRSA, and the signature is base64.
 */
const COLLECTION = 'sns-signing';
const KEY = 'node';
/** Where the certificate is served, under the node's URL (the gateway routes /_flint/sns/ to SNS). */
export const CERTIFICATE_PATH = '/_flint/sns/SimpleNotificationService-flint.pem';
const VALID_YEARS = 30;

interface StoredIdentity {
  privateKey: string;
  certificate: string;
}

/** The fields SNS signs, in the order it signs them (absent ones are skipped). */
export type SignedFields = [name: string, value: string | undefined][];

export class MessageSigner {
  private readonly key: KeyObject;

  constructor(
    privateKeyPem: string,
    /** The certificate PEM served at SigningCertURL. */
    readonly certificate: string,
  ) {
    this.key = createPrivateKey(privateKeyPem);
  }

  /** The base64 signature of the fields; version "2" signs with SHA-256, anything else with SHA-1. */
  sign(fields: SignedFields, version: string): string {
    const signer = createSign(version === '2' ? 'RSA-SHA256' : 'RSA-SHA1');
    for (const [name, value] of fields) if (value !== undefined) signer.update(`${name}\n${value}\n`);
    return signer.sign(this.key, 'base64');
  }
}

const generate = promisify(generateKeyPair);

/** The node's signer: the stored key and certificate, or new ones stored for every later start to find. */
export async function loadSigner(metadata: MetadataStore, clock: Clock): Promise<MessageSigner> {
  const stored = await metadata.get<StoredIdentity>(COLLECTION, KEY);
  if (stored) return new MessageSigner(stored.value.privateKey, stored.value.certificate);
  const identity = await newIdentity(clock);
  try {
    await metadata.put(COLLECTION, KEY, identity, { ifRevision: 0 });
    return new MessageSigner(identity.privateKey, identity.certificate);
  } catch (error) {
    // Another node (sharing the database) stored its key first: sign with that one.
    const winner = isFlintError(error, 'PRECONDITION_FAILED') ? await metadata.get<StoredIdentity>(COLLECTION, KEY) : undefined;
    if (!winner) throw error;
    return new MessageSigner(winner.value.privateKey, winner.value.certificate);
  }
}

async function newIdentity(clock: Clock): Promise<StoredIdentity> {
  const { publicKey, privateKey } = await generate('rsa', { modulusLength: 2048 });
  const now = new Date(clock.now());
  const notAfter = new Date(now);
  notAfter.setUTCFullYear(now.getUTCFullYear() + VALID_YEARS);
  const certificate = selfSignedCertificate({ commonName: 'sns.flint.local', publicKey, privateKey, serial: randomBytes(16), notBefore: new Date(now.getTime() - 86_400_000), notAfter });
  return { privateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), certificate };
}
