import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AWS_CLI, DEBIAN_PYTHON } from '../../helpers/clients.js';
import { contents, musicTable, put, startBackupNode, type BackupNode } from './backup-node.js';

/**
 * Backups and point-in-time recovery through Debian's AWS CLI 2.9 (`aws dynamodb create-backup`, `list-backups`,
 * `describe-backup`, `update-continuous-backups`) and boto3 1.26 (restore_table_from_backup,
 * restore_table_to_point_in_time, and the errors botocore reads), which all predate RecoveryPeriodInDays.
 */

const execFileAsync = promisify(execFile);
/** Each CLI or Python start takes seconds on a busy machine. */
const CLI_TIMEOUT = 180_000;

let node: BackupNode;
let home: string;

beforeAll(async () => {
  node = await startBackupNode();
  home = mkdtempSync(join(tmpdir(), 'flint-ddb-backup-clients-'));
  await musicTable(node.db, 'tunes');
  await put(node.db, 'tunes', 'a', 1, 'one');
});
afterAll(async () => {
  await node?.close();
  if (home) rmSync(home, { recursive: true, force: true });
});

const env = () => ({ PATH: '/usr/bin:/bin', HOME: home, AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test', AWS_DEFAULT_REGION: 'us-east-1', AWS_PAGER: '' });

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- CLI output is free-form JSON in assertions
async function aws(...args: string[]): Promise<any> {
  const { stdout } = await execFileAsync(AWS_CLI, ['dynamodb', ...args, '--endpoint-url', node.test.node.url, '--output', 'json'], { env: env(), cwd: home });
  return stdout.trim() === '' ? {} : JSON.parse(stdout);
}

describe("backups with Debian's AWS CLI", () => {
  it(
    'creates, lists and describes a backup',
    async () => {
      const created = await aws('create-backup', '--table-name', 'tunes', '--backup-name', 'cli-backup');
      expect(created.BackupDetails).toMatchObject({ BackupName: 'cli-backup', BackupStatus: 'CREATING', BackupType: 'USER' });
      expect(typeof created.BackupDetails.BackupCreationDateTime).toBe('string');
      const listed = await aws('list-backups', '--table-name', 'tunes');
      expect(listed.BackupSummaries).toEqual([expect.objectContaining({ BackupArn: created.BackupDetails.BackupArn, BackupName: 'cli-backup', TableName: 'tunes', BackupStatus: 'AVAILABLE' })]);
      const described = await aws('describe-backup', '--backup-arn', created.BackupDetails.BackupArn);
      expect(described.BackupDescription.SourceTableDetails).toMatchObject({ TableName: 'tunes', ItemCount: 1, BillingMode: 'PAY_PER_REQUEST' });
      const pitr = await aws('update-continuous-backups', '--table-name', 'tunes', '--point-in-time-recovery-specification', 'PointInTimeRecoveryEnabled=true');
      expect(pitr.ContinuousBackupsDescription.PointInTimeRecoveryDescription).toMatchObject({ PointInTimeRecoveryStatus: 'ENABLED' });
    },
    CLI_TIMEOUT,
  );
});

describe('backups with boto3', () => {
  it(
    'restores from a backup and to a point in time, and reads the errors',
    async () => {
      const script = `
import json, sys, boto3, botocore.exceptions
client = boto3.session.Session(aws_access_key_id='test', aws_secret_access_key='test', region_name='us-east-1').client('dynamodb', endpoint_url=sys.argv[1])
def error(call):
    try:
        call()
        return None
    except botocore.exceptions.ClientError as failure:
        return [failure.response['Error']['Code'], failure.response['Error']['Message']]
arn = client.create_backup(TableName='tunes', BackupName='boto-backup')['BackupDetails']['BackupArn']
restored = client.restore_table_from_backup(TargetTableName='tunes-boto', BackupArn=arn)['TableDescription']
client.update_continuous_backups(TableName='tunes', PointInTimeRecoverySpecification={'PointInTimeRecoveryEnabled': True})
pitr = client.restore_table_to_point_in_time(SourceTableName='tunes', TargetTableName='tunes-pitr', UseLatestRestorableTime=True)['TableDescription']
print(json.dumps({
  'restored': [restored['TableName'], restored['RestoreSummary']['SourceBackupArn'] == arn],
  'pitr': pitr['TableName'],
  'missing': error(lambda: client.describe_backup(BackupArn=arn + '0')),
  'taken': error(lambda: client.restore_table_from_backup(TargetTableName='tunes', BackupArn=arn)),
  'noTable': error(lambda: client.create_backup(TableName='nothing', BackupName='boto-backup')),
}))
`;
      const { stdout } = await execFileAsync(DEBIAN_PYTHON, ['-c', script, node.test.node.url], { env: { PATH: '/usr/bin:/bin', HOME: home }, cwd: home });
      const out = JSON.parse(stdout.trim().split('\n').pop() ?? 'null') as Record<string, unknown>;
      expect(out).toEqual({
        restored: ['tunes-boto', true],
        pitr: 'tunes-pitr',
        missing: ['BackupNotFoundException', expect.stringMatching(/^Backup not found: arn:aws:dynamodb:/)],
        taken: ['TableAlreadyExistsException', 'Table already exists: tunes'],
        noTable: ['TableNotFoundException', 'Table not found: nothing'],
      });
      expect(await contents(node.db, 'tunes-boto')).toEqual(['a/1=one']);
      expect(await contents(node.db, 'tunes-pitr')).toEqual(['a/1=one']);
    },
    CLI_TIMEOUT,
  );
});
