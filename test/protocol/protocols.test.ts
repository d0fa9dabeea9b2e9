import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { CloudWatchClient, GetMetricStatisticsCommand, ListMetricsCommand, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { AwsSmithyRpcV2CborProtocol } from '@aws-sdk/core/protocols';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AwsError, defineService, loadModel, type CallInfo, type ProtocolName } from '../../src/protocol/index.js';
import { serveKit } from './kit-server.js';
import type * as CloudWatch from './models/cloudwatch-api.js';
import type * as Ec2 from './models/ec2-api.js';
import { AWS_CLI, DEBIAN_PYTHON } from '../helpers/clients.js';

/**
 * The kit's protocols that no Flint service speaks yet, driven by real clients against small handlers: Smithy's
 * rpc-v2-cbor (which current SDKs use for CloudWatch: boto3 by default, the SDK v3 when given its CBOR protocol),
 * the JSON 1.0 and query protocols of the same model, and the EC2 protocol (Debian's boto3). The services' own tests
 * cover json, rest-json, rest-xml and query on Flint's services.
 */

const run = promisify(execFile);
const CREDENTIALS = { accessKeyId: 'test', secretAccessKey: 'test' };

/** Runs a Python script with Debian's boto3 (1.26); `ENDPOINT` is in its environment. Prints JSON. */
async function boto3(script: string, endpoint: string): Promise<unknown> {
  const { stdout } = await run(DEBIAN_PYTHON, ['-c', `import boto3, json, os, datetime\n${script}`], {
    env: { ...process.env, ENDPOINT: endpoint, AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test', AWS_DEFAULT_REGION: 'us-east-1' },
  });
  return JSON.parse(stdout) as unknown;
}

interface Datum {
  namespace: string;
  name: string;
  time: Date;
  value: number;
}

function cloudWatch(data: Datum[], protocols: ProtocolName[]) {
  return defineService<CloudWatch.Operations, CallInfo>({
    name: 'cloudwatch',
    model: loadModel('cloudwatch'),
    errorNamespace: 'com.amazonaws.cloudwatch',
    context: (call) => {
      protocols.push(call.protocol);
      return call;
    },
    handlers: {
      PutMetricData: async (input) => {
        for (const datum of input.MetricData ?? []) data.push({ namespace: input.Namespace, name: datum.MetricName, time: datum.Timestamp ?? new Date(0), value: datum.Value ?? 0 });
      },
      ListMetrics: async (input) => ({
        Metrics: data.filter((d) => input.Namespace === undefined || d.namespace === input.Namespace).map((d) => ({ Namespace: d.namespace, MetricName: d.name, Dimensions: [] })),
      }),
      GetMetricStatistics: async (input) => {
        const points = data.filter((d) => d.namespace === input.Namespace && d.name === input.MetricName && d.time >= input.StartTime && d.time < input.EndTime);
        if (points.length === 0) throw new AwsError('InvalidParameterValueException', `No data for ${input.MetricName}`, { code: 'InvalidParameterValue' });
        const sum = points.reduce((total, d) => total + d.value, 0);
        return { Label: input.MetricName, Datapoints: [{ Timestamp: input.StartTime, SampleCount: points.length, Sum: sum, Average: sum / points.length, Unit: 'Count' }] };
      },
    },
  });
}

describe('rpc-v2-cbor, JSON 1.0 and query on one model (CloudWatch)', () => {
  const data: Datum[] = [];
  const protocols: ProtocolName[] = [];
  let server: Awaited<ReturnType<typeof serveKit>>;
  const start = new Date('2026-12-01T10:00:00Z');
  const end = new Date('2026-12-01T11:00:00Z');

  beforeAll(async () => {
    server = await serveKit(cloudWatch(data, protocols));
  });
  afterAll(() => server.close());

  const sdk = (cbor: boolean) =>
    new CloudWatchClient({
      endpoint: server.url,
      region: 'us-east-1',
      credentials: CREDENTIALS,
      maxAttempts: 1,
      ...(cbor ? { protocol: new AwsSmithyRpcV2CborProtocol({ defaultNamespace: 'com.amazonaws.cloudwatch', awsQueryCompatible: true }) } : {}),
    });

  for (const [name, cbor, protocol] of [['CBOR', true, 'smithy-rpc-v2-cbor'], ['JSON 1.0', false, 'json']] as const) {
    it(`reads and writes ${name} with the SDK v3: timestamps, doubles, lists, errors`, async () => {
      const client = sdk(cbor);
      const namespace = `Sdk/${name}`;
      protocols.length = 0;
      await client.send(new PutMetricDataCommand({ Namespace: namespace, MetricData: [{ MetricName: 'Hits', Timestamp: new Date('2026-12-01T10:15:00.250Z'), Value: 2.5 }, { MetricName: 'Hits', Timestamp: new Date('2026-12-01T10:30:00Z'), Value: 4 }] }));
      const listed = await client.send(new ListMetricsCommand({ Namespace: namespace }));
      expect(listed.Metrics?.map((m) => m.MetricName)).toEqual(['Hits', 'Hits']);
      const stats = await client.send(new GetMetricStatisticsCommand({ Namespace: namespace, MetricName: 'Hits', StartTime: start, EndTime: end, Period: 60, Statistics: ['Sum', 'Average'] }));
      expect(stats.Datapoints).toEqual([{ Timestamp: start, SampleCount: 2, Sum: 6.5, Average: 3.25, Unit: 'Count' }]);
      expect(data.find((d) => d.namespace === namespace)?.time).toEqual(new Date('2026-12-01T10:15:00.250Z'));

      // Constraint violations, in model order and AWS's wording; the list element's constraints are listed whole.
      const invalid = await client.send(new GetMetricStatisticsCommand({ Namespace: namespace, MetricName: 'Hits', StartTime: start, EndTime: end, Period: 0, Statistics: ['Bogus' as 'Sum'] })).catch((e: unknown) => e);
      expect(invalid).toMatchObject({
        name: 'ValidationException',
        message:
          "2 validation errors detected: Value '0' at 'period' failed to satisfy constraint: Member must have value greater than or equal to 1; " +
          "Value '[Bogus]' at 'statistics' failed to satisfy constraint: Member must satisfy constraint: [Member must satisfy enum value set: [SampleCount, Average, Sum, Minimum, Maximum], Member must not be null]",
      });
      // A modelled error is its shape for the SDK, and keeps its legacy code for query-compatible clients
      // (x-amzn-query-error), which the SDK puts in Code.
      const missing = await client.send(new GetMetricStatisticsCommand({ Namespace: namespace, MetricName: 'None', StartTime: start, EndTime: end, Period: 60, Statistics: ['Sum'] })).catch((e: unknown) => e);
      expect(missing).toMatchObject({ name: 'InvalidParameterValueException', Code: 'InvalidParameterValue', message: 'No data for None', $metadata: { httpStatusCode: 400 } });
      expect(new Set(protocols)).toEqual(new Set([protocol]));
    });
  }

  it("reads and writes the query protocol with Debian's boto3 (its CloudWatch model predates JSON and CBOR)", async () => {
    protocols.length = 0;
    const result = await boto3(
      `
from botocore.config import Config
cw = boto3.client('cloudwatch', endpoint_url=os.environ['ENDPOINT'], config=Config(parameter_validation=False))
cw.put_metric_data(Namespace='Boto/Query', MetricData=[{'MetricName': 'Errors', 'Timestamp': datetime.datetime(2026, 12, 1, 10, 5, tzinfo=datetime.timezone.utc), 'Value': 7.0}])
listed = cw.list_metrics(Namespace='Boto/Query')['Metrics']
stats = cw.get_metric_statistics(Namespace='Boto/Query', MetricName='Errors', StartTime=datetime.datetime(2026, 12, 1, 10, tzinfo=datetime.timezone.utc), EndTime=datetime.datetime(2026, 12, 1, 11, tzinfo=datetime.timezone.utc), Period=60, Statistics=['Maximum', 'Sum'])
try:
    cw.get_metric_statistics(Namespace='Boto/Query', MetricName='Errors', StartTime=datetime.datetime(2026, 12, 1, 10), EndTime=datetime.datetime(2026, 12, 1, 11), Period=0, Statistics=['Sum'])
    error = None
except Exception as e:
    error = [e.response['Error']['Code'], e.response['Error']['Message'], e.response['ResponseMetadata']['HTTPStatusCode']]
print(json.dumps({'listed': listed, 'points': [[p['Timestamp'].isoformat(), p['Sum']] for p in stats['Datapoints']], 'error': error}))
`,
      server.url,
    );
    expect(result).toEqual({
      listed: [{ Namespace: 'Boto/Query', MetricName: 'Errors', Dimensions: [] }],
      points: [['2026-12-01T10:00:00+00:00', 7]],
      error: ['ValidationError', "1 validation error detected: Value '0' at 'period' failed to satisfy constraint: Member must have value greater than or equal to 1", 400],
    });
    expect(new Set(protocols)).toEqual(new Set(['query']));
  });
});

interface Tagged {
  resource: string;
  key: string;
  value: string;
}

describe('the EC2 protocol', () => {
  const tags: Tagged[] = [];
  let server: Awaited<ReturnType<typeof serveKit>>;

  beforeAll(async () => {
    const ec2 = defineService<Ec2.Operations, undefined>({
      name: 'ec2',
      model: loadModel('ec2'),
      context: () => undefined,
      handlers: {
        DescribeRegions: async (input) => ({
          Regions: ['us-east-1', 'eu-west-1']
            .filter((name) => !input.RegionNames || input.RegionNames.includes(name))
            .map((RegionName) => ({ RegionName, Endpoint: `ec2.${RegionName}.amazonaws.com`, OptInStatus: 'opt-in-not-required' })),
        }),
        CreateTags: async (input) => {
          for (const resource of input.Resources) for (const tag of input.Tags) tags.push({ resource, key: tag.Key ?? '', value: tag.Value ?? '' });
        },
        DescribeTags: async (input) => {
          const wanted = input.Filters?.find((f) => f.Name === 'resource-id')?.Values;
          return { Tags: tags.filter((t) => !wanted || wanted.includes(t.resource)).map((t) => ({ ResourceId: t.resource, ResourceType: 'instance', Key: t.key, Value: t.value })) };
        },
        CreateKeyPair: async (input) => {
          if (input.KeyName.length > 255) throw new AwsError('InvalidKeyPair.Format', 'The key name is too long.');
          return { KeyName: input.KeyName, KeyPairId: 'key-0123', KeyFingerprint: 'ab:cd', KeyMaterial: '-----BEGIN KEY-----' };
        },
      },
    });
    server = await serveKit(ec2);
  });
  afterAll(() => server.close());

  it("reads EC2's capitalised, always-flattened parameters and writes its answers and errors (Debian's boto3)", async () => {
    const result = await boto3(
      `
ec2 = boto3.client('ec2', endpoint_url=os.environ['ENDPOINT'])
regions = ec2.describe_regions(RegionNames=['eu-west-1'])['Regions']
ec2.create_tags(Resources=['i-1', 'i-2'], Tags=[{'Key': 'team', 'Value': 'blue & green'}])
described = ec2.describe_tags(Filters=[{'Name': 'resource-id', 'Values': ['i-2']}])['Tags']
key = ec2.create_key_pair(KeyName='deploy')
try:
    ec2.create_key_pair(KeyName='k' * 300)
    error = None
except Exception as e:
    error = [e.response['Error']['Code'], e.response['Error']['Message'], e.response['ResponseMetadata']['HTTPStatusCode']]
print(json.dumps({'regions': regions, 'tags': described, 'key': [key['KeyName'], key['KeyPairId'], key['KeyMaterial']], 'error': error}))
`,
      server.url,
    );
    expect(result).toEqual({
      regions: [{ RegionName: 'eu-west-1', Endpoint: 'ec2.eu-west-1.amazonaws.com', OptInStatus: 'opt-in-not-required' }],
      tags: [{ ResourceId: 'i-2', ResourceType: 'instance', Key: 'team', Value: 'blue & green' }],
      key: ['deploy', 'key-0123', '-----BEGIN KEY-----'],
      error: ['InvalidKeyPair.Format', 'The key name is too long.', 400],
    });
  });

  it("serves Debian's AWS CLI, which speaks the same dialect", async () => {
    const cli = async (...args: string[]): Promise<unknown> => {
      const { stdout } = await run(AWS_CLI, ['ec2', ...args, '--endpoint-url', server.url, '--output', 'json'], { env: { ...process.env, AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test', AWS_DEFAULT_REGION: 'us-east-1', AWS_PAGER: '' } });
      return stdout.trim() === '' ? undefined : (JSON.parse(stdout) as unknown);
    };
    await cli('create-tags', '--resources', 'i-cli', '--tags', 'Key=owner,Value=ops');
    expect(await cli('describe-tags', '--filters', 'Name=resource-id,Values=i-cli')).toEqual({ Tags: [{ ResourceId: 'i-cli', ResourceType: 'instance', Key: 'owner', Value: 'ops' }] });
    expect(await cli('describe-regions', '--region-names', 'us-east-1')).toEqual({ Regions: [{ RegionName: 'us-east-1', Endpoint: 'ec2.us-east-1.amazonaws.com', OptInStatus: 'opt-in-not-required' }] });
  });
});
