import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetSecretValueCommand, PutSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { GetParameterCommand, GetParameterHistoryCommand, PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestNode, type TestNode } from '../../helpers/node.js';

/**
 * flint.yaml's `resources.parameters` and `resources.secrets`: created at deploy; an unchanged declaration leaves what
 * the app or a person wrote since; a declaration whose value changed writes a new version.
 */
function manifest(dbUrl: string, apiKey: string): string {
  return `app: configured
functions:
  hello: { runtime: nodejs20.x, handler: index.handler }
resources:
  parameters:
    /configured/db-url: { type: String, value: '${dbUrl}', description: where the database is }
    /configured/hosts: { type: StringList, value: 'a,b' }
    /configured/api-key: { type: SecureString, value: '${apiKey}' }
  secrets:
    configured/db: { value: '{"password":"initial"}', description: database login }
    configured/session-key: { generate: true }
    configured/empty:
`;
}

let test: TestNode;
let appDir: string;
let ssm: SSMClient;
let sm: SecretsManagerClient;

beforeAll(async () => {
  test = await startTestNode();
  appDir = mkdtempSync(join(tmpdir(), 'flint-configured-'));
  writeFileSync(join(appDir, 'index.js'), 'exports.handler = async () => ({});');
  ssm = new SSMClient(test.config);
  sm = new SecretsManagerClient(test.config);
});
afterAll(async () => {
  ssm.destroy();
  sm.destroy();
  await test.close();
  rmSync(appDir, { recursive: true, force: true });
});

async function deploy(text: string): Promise<string[]> {
  writeFileSync(join(appDir, 'flint.yaml'), text);
  return (await test.node.deployDir(appDir)).created;
}

const value = async (Name: string): Promise<string | undefined> => (await ssm.send(new GetParameterCommand({ Name, WithDecryption: true }))).Parameter?.Value;
const secret = async (SecretId: string): Promise<string | undefined> => (await sm.send(new GetSecretValueCommand({ SecretId }))).SecretString;

describe('parameters and secrets declared in flint.yaml', () => {
  it('creates them at the first deploy', async () => {
    const created = await deploy(manifest('postgres://one', 'k1'));
    expect(created.sort()).toEqual([
      'parameter /configured/api-key',
      'parameter /configured/db-url',
      'parameter /configured/hosts',
      'secret configured/db',
      'secret configured/empty',
      'secret configured/session-key',
    ]);
    expect(await value('/configured/db-url')).toBe('postgres://one');
    expect((await ssm.send(new GetParameterCommand({ Name: '/configured/api-key' }))).Parameter).toMatchObject({ Type: 'SecureString' });
    expect(await value('/configured/api-key')).toBe('k1');
    expect(await value('/configured/hosts')).toBe('a,b');
    expect(await secret('configured/db')).toBe('{"password":"initial"}');
    expect(await secret('configured/session-key')).toMatch(/^.{32}$/);
  });

  it('leaves values written since alone while flint.yaml does not change them', async () => {
    const generated = await secret('configured/session-key');
    await ssm.send(new PutParameterCommand({ Name: '/configured/db-url', Value: 'postgres://by-hand', Overwrite: true }));
    await sm.send(new PutSecretValueCommand({ SecretId: 'configured/db', SecretString: '{"password":"rotated"}' }));
    expect(await deploy(manifest('postgres://one', 'k1'))).toEqual([]);
    expect(await value('/configured/db-url')).toBe('postgres://by-hand');
    expect(await secret('configured/db')).toBe('{"password":"rotated"}');
    expect(await secret('configured/session-key')).toBe(generated);
  });

  it('writes a new version when a declared value changes', async () => {
    const created = await deploy(manifest('postgres://two', 'k1').replace('initial', 'second'));
    expect(created.sort()).toEqual(['parameter /configured/db-url (new version: its value changed in flint.yaml)', 'secret configured/db (new version: its value changed in flint.yaml)']);
    expect(await value('/configured/db-url')).toBe('postgres://two');
    const history = await ssm.send(new GetParameterHistoryCommand({ Name: '/configured/db-url' }));
    expect(history.Parameters?.map((p) => p.Value)).toEqual(['postgres://one', 'postgres://by-hand', 'postgres://two']);
    expect(await secret('configured/db')).toBe('{"password":"second"}');
  });

  it('refuses names SSM and Secrets Manager refuse, before deploying anything', async () => {
    const refused = await deploy('app: configured\nfunctions:\n  hello: { runtime: nodejs20.x, handler: index.handler }\nresources:\n  parameters:\n    /aws/x: { type: String, value: v }\n    a//b: { type: Text, value: v }\n  secrets:\n    "bad name": { value: v }\n').catch((error: Error) => error.message);
    expect(refused).toContain('resources.parameters./aws/x');
    expect(refused).toContain('resources.secrets');
  });
});
