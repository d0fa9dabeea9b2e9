import { CreateFunctionCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { CreateSecretCommand, DescribeSecretCommand, GetSecretValueCommand, ListSecretVersionIdsCommand, RotateSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createZip } from '../../../src/functions/index.js';
import { startTestNode, type TestNode } from '../../helpers/node.js';
import { failure } from '../ssm/support.js';

/**
 * Rotation as Secrets Manager runs it: RotateSecret creates the AWSPENDING version and calls the rotation function for
 * createSecret, setSecret, testSecret and finishSecret, each with SecretId (the ARN) and ClientRequestToken
 * (https://docs.aws.amazon.com/secretsmanager/latest/userguide/rotate-secrets_lambda-functions.html). The function is
 * a Python function using boto3 against the node, written the way rotation functions are: it checks the version's
 * stages, creates the pending value once, and moves AWSCURRENT at finishSecret. It records each step it ran in an SSM
 * parameter so the test sees the order.
 */
const ROTATOR = `
import json
import boto3

secrets = boto3.client("secretsmanager")
ssm = boto3.client("ssm")


def record(arn, step):
    name = "/rotation/" + arn.split(":")[-1] + "/steps"
    try:
        seen = ssm.get_parameter(Name=name)["Parameter"]["Value"] + ","
    except ssm.exceptions.ParameterNotFound:
        seen = ""
    ssm.put_parameter(Name=name, Value=seen + step, Type="String", Overwrite=True)


def handler(event, context):
    arn, token, step = event["SecretId"], event["ClientRequestToken"], event["Step"]
    record(arn, step)
    described = secrets.describe_secret(SecretId=arn)
    if not described.get("RotationEnabled"):
        raise ValueError("rotation is not enabled")
    stages = described["VersionIdsToStages"].get(token)
    if stages is None or ("AWSPENDING" not in stages and "AWSCURRENT" not in stages):
        raise ValueError("version %s is not pending" % token)
    if step == "createSecret":
        current = json.loads(secrets.get_secret_value(SecretId=arn, VersionStage="AWSCURRENT")["SecretString"])
        try:
            secrets.get_secret_value(SecretId=arn, VersionId=token, VersionStage="AWSPENDING")
        except secrets.exceptions.ResourceNotFoundException:
            current["password"] = secrets.get_random_password(ExcludePunctuation=True)["RandomPassword"]
            current["generation"] = current.get("generation", 0) + 1
            secrets.put_secret_value(SecretId=arn, ClientRequestToken=token, SecretString=json.dumps(current), VersionStages=["AWSPENDING"])
    elif step == "testSecret":
        pending = json.loads(secrets.get_secret_value(SecretId=arn, VersionId=token, VersionStage="AWSPENDING")["SecretString"])
        if pending.get("fail_test"):
            raise RuntimeError("the new password does not work")
    elif step == "finishSecret":
        for version, version_stages in described["VersionIdsToStages"].items():
            if "AWSCURRENT" in version_stages and version != token:
                secrets.update_secret_version_stage(SecretId=arn, VersionStage="AWSCURRENT", MoveToVersionId=token, RemoveFromVersionId=version)
`;

let test: TestNode;
let sm: SecretsManagerClient;
let ssm: SSMClient;
let lambda: LambdaClient;
let rotatorArn: string;

beforeAll(async () => {
  test = await startTestNode();
  sm = new SecretsManagerClient(test.config);
  ssm = new SSMClient(test.config);
  lambda = new LambdaClient(test.config);
  const zip = createZip([{ path: 'rotator.py', data: Buffer.from(ROTATOR), mode: 0o644 }]);
  const created = await lambda.send(
    new CreateFunctionCommand({ FunctionName: 'rotator', Runtime: 'python3.12', Role: 'arn:aws:iam::000000000000:role/rotator', Handler: 'rotator.handler', Code: { ZipFile: zip }, Timeout: 30 }),
  );
  rotatorArn = created.FunctionArn!;
});

afterAll(async () => {
  sm.destroy();
  ssm.destroy();
  lambda.destroy();
  await test.close();
});

async function steps(name: string): Promise<string | undefined> {
  try {
    return (await ssm.send(new GetParameterCommand({ Name: `/rotation/${name}/steps` }))).Parameter?.Value;
  } catch {
    return undefined;
  }
}

describe('RotateSecret with a rotation function', () => {
  it('runs the four steps in order and leaves the new value AWSCURRENT, the old AWSPREVIOUS', async () => {
    const created = await sm.send(new CreateSecretCommand({ Name: 'db-credentials', SecretString: JSON.stringify({ user: 'app', password: 'initial' }) }));
    const rotated = await sm.send(new RotateSecretCommand({ SecretId: 'db-credentials', RotationLambdaARN: rotatorArn, RotationRules: { AutomaticallyAfterDays: 30 } }));
    expect(rotated).toMatchObject({ ARN: created.ARN, Name: 'db-credentials' });
    expect(rotated.VersionId).toBeDefined();
    const suffix = created.ARN!.split(':').pop()!;
    await expect.poll(() => steps(suffix), { timeout: 60_000, interval: 250 }).toBe('createSecret,setSecret,testSecret,finishSecret');
    await expect.poll(async () => (await sm.send(new DescribeSecretCommand({ SecretId: 'db-credentials' }))).LastRotatedDate, { timeout: 10_000 }).toBeInstanceOf(Date);
    const described = await sm.send(new DescribeSecretCommand({ SecretId: 'db-credentials' }));
    // As recorded from AWS (LocalStack's test_rotate_secret_with_lambda_success): AWSPENDING is gone after rotation.
    expect(described).toMatchObject({
      RotationEnabled: true,
      RotationLambdaARN: rotatorArn,
      RotationRules: { AutomaticallyAfterDays: 30 },
      VersionIdsToStages: { [created.VersionId!]: ['AWSPREVIOUS'], [rotated.VersionId!]: ['AWSCURRENT'] },
    });
    expect(described.NextRotationDate).toBeInstanceOf(Date);
    const value = JSON.parse((await sm.send(new GetSecretValueCommand({ SecretId: 'db-credentials' }))).SecretString!) as Record<string, unknown>;
    expect(value).toMatchObject({ user: 'app', generation: 1 });
    expect(value.password).not.toBe('initial');
    expect(value.password).toMatch(/^[A-Za-z0-9]{32}$/);
  });

  it('rotates again with the function it already has', async () => {
    const again = await sm.send(new RotateSecretCommand({ SecretId: 'db-credentials' }));
    await expect
      .poll(async () => (await sm.send(new GetSecretValueCommand({ SecretId: 'db-credentials' }))).VersionId, { timeout: 60_000, interval: 250 })
      .toBe(again.VersionId);
    expect(JSON.parse((await sm.send(new GetSecretValueCommand({ SecretId: 'db-credentials' }))).SecretString!)).toMatchObject({ generation: 2 });
  });

  it('stops at a failing step, leaving the current value and the pending version as they are', async () => {
    const created = await sm.send(new CreateSecretCommand({ Name: 'fragile', SecretString: JSON.stringify({ password: 'old', fail_test: true }) }));
    const rotated = await sm.send(new RotateSecretCommand({ SecretId: 'fragile', RotationLambdaARN: rotatorArn }));
    const suffix = created.ARN!.split(':').pop()!;
    await expect.poll(() => steps(suffix), { timeout: 60_000, interval: 250 }).toBe('createSecret,setSecret,testSecret');
    await expect
      .poll(async () => (await sm.send(new ListSecretVersionIdsCommand({ SecretId: 'fragile' }))).Versions?.map((v) => [v.VersionId, v.VersionStages]), { timeout: 10_000 })
      .toEqual([
        [created.VersionId, ['AWSCURRENT']],
        [rotated.VersionId, ['AWSPENDING']],
      ]);
    expect(JSON.parse((await sm.send(new GetSecretValueCommand({ SecretId: 'fragile' }))).SecretString!)).toMatchObject({ password: 'old' });
    expect((await sm.send(new DescribeSecretCommand({ SecretId: 'fragile' }))).LastRotatedDate).toBeUndefined();
  });

  it('refuses a rotation without a function, or with one that does not exist, as recorded from AWS', async () => {
    await sm.send(new CreateSecretCommand({ Name: 'unrotated', SecretString: 'x' }));
    // LocalStack's test_first_rotate_secret_with_missing_lambda_arn and test_rotate_secret_invalid_lambda_arn.
    expect(await failure(sm.send(new RotateSecretCommand({ SecretId: 'unrotated' })))).toEqual({ name: 'InvalidRequestException', message: 'No Lambda rotation function ARN is associated with this secret.' });
    expect(await failure(sm.send(new RotateSecretCommand({ SecretId: 'unrotated', RotationLambdaARN: 'arn:aws:lambda:us-east-1:000000000000:function:missing' })))).toEqual({
      name: 'AccessDeniedException',
      message: 'Secrets Manager cannot invoke the specified Lambda function. Ensure that the function policy grants access to the principal secretsmanager.amazonaws.com.',
    });
  });
});
