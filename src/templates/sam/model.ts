/**
 * What `Ref` and `Fn::GetAtt` give for each resource of a SAM template once it runs on Flint: the physical names
 * Flint creates (a CloudFormation-style `<app>-<LogicalId>` unless the template names the resource), ARNs in the
 * node's region and account, queue URLs on the node. SAM's implicit resources (`<Function>Role`,
 * `ServerlessRestApi`, `ServerlessHttpApi`) are there too, as SAM generates them
 * (https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/sam-specification-generated-resources.html).
 */
import type { ResourceModel } from '../cloudformation/stack.js';
import { TemplateError } from '../cloudformation/problems.js';
import { functionRoleName } from '../../manifest/index.js';

type Path = readonly PropertyKey[];

export interface TemplateResource {
  Type: string;
  Properties: Record<string, unknown>;
  Metadata?: Record<string, unknown>;
  DependsOn?: unknown;
}

export interface ModelOptions {
  app: string;
  region: string;
  accountId: string;
  /** The node's URL, for queue URLs. */
  endpoint: string;
  /** The id Flint gives an API of the app (platform's apiId). */
  apiId: (app: string, api: string) => string;
}

export const IMPLICIT_REST_API = 'ServerlessRestApi';
export const IMPLICIT_HTTP_API = 'ServerlessHttpApi';

/** Stream label of every table stream ARN a template sees; Flint's streams are one per table. */
const STREAM_LABEL = '1970-01-01T00:00:00.000';

/** Name properties per type: the resource's physical name when the template sets one. */
const NAME_PROPERTY: Record<string, string> = {
  'AWS::Serverless::Function': 'FunctionName',
  'AWS::Lambda::Function': 'FunctionName',
  'AWS::Serverless::SimpleTable': 'TableName',
  'AWS::DynamoDB::Table': 'TableName',
  'AWS::S3::Bucket': 'BucketName',
  'AWS::SQS::Queue': 'QueueName',
  'AWS::SNS::Topic': 'TopicName',
  'AWS::Serverless::LayerVersion': 'LayerName',
  'AWS::Lambda::LayerVersion': 'LayerName',
  'AWS::IAM::Role': 'RoleName',
  'AWS::IAM::Policy': 'PolicyName',
  'AWS::IAM::ManagedPolicy': 'ManagedPolicyName',
  'AWS::SSM::Parameter': 'Name',
  'AWS::Logs::LogGroup': 'LogGroupName',
  'AWS::Events::Rule': 'Name',
  // Ref of a bus is its name (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-events-eventbus.html).
  'AWS::Events::EventBus': 'Name',
  'AWS::SecretsManager::Secret': 'Name',
};

export class SamResources implements ResourceModel {
  private readonly names = new Map<string, string>();
  /** Resources left out because their Condition is false, with that condition. */
  readonly excluded = new Map<string, string>();
  private index: Map<string, string> | undefined;

  constructor(
    readonly resources: Record<string, TemplateResource>,
    private readonly options: ModelOptions,
    /** Evaluates a name property (which may use parameters and other intrinsics). */
    private readonly evaluateName: (value: unknown, path: Path) => unknown,
  ) {}

  absent(id: string): string | undefined {
    const condition = this.excluded.get(id);
    return condition === undefined ? undefined : `resource ${id} is not created: its Condition ${condition} is false (use Fn::If with that condition to refer to it)`;
  }

  has(id: string): boolean {
    return id in this.resources || this.implicitOf(id) !== undefined;
  }

  typeOf(id: string): string | undefined {
    return this.resources[id]?.Type ?? this.implicitOf(id)?.type;
  }

  /** The physical name of a resource (function, table, bucket, queue, topic, role, layer...). */
  name(id: string): string {
    const known = this.names.get(id);
    if (known !== undefined) return known;
    const implicit = this.implicitOf(id);
    if (implicit !== undefined) return implicit.name;
    const resource = this.resources[id];
    const property = resource === undefined ? undefined : NAME_PROPERTY[resource.Type];
    const given = property === undefined ? undefined : resource?.Properties[property];
    const evaluated = given === undefined ? undefined : this.evaluateName(given, ['Resources', id, 'Properties', property!]);
    const name = typeof evaluated === 'string' ? evaluated : this.defaultName(id, resource?.Type ?? '');
    this.names.set(id, name);
    return name;
  }

  ref(id: string, path: Path): unknown {
    const type = this.typeOf(id);
    const { region, accountId, endpoint } = this.options;
    switch (type) {
      case 'AWS::SQS::Queue':
        return `${endpoint}/${accountId}/${this.name(id)}`;
      case 'AWS::SNS::Topic':
        return `arn:aws:sns:${region}:${accountId}:${this.name(id)}`;
      case 'AWS::Serverless::Api':
      case 'AWS::Serverless::HttpApi':
        return this.options.apiId(this.options.app, id);
      case 'AWS::Serverless::LayerVersion':
      case 'AWS::Lambda::LayerVersion':
        return `arn:aws:lambda:${region}:${accountId}:layer:${this.name(id)}:1`;
      case 'AWS::IAM::ManagedPolicy':
        return `arn:aws:iam::${accountId}:policy/${this.name(id)}`;
      case 'AWS::SNS::Subscription':
        return `arn:aws:sns:${region}:${accountId}:${id}:00000000-0000-0000-0000-000000000000`;
      case undefined:
        throw new TemplateError(path, `Ref ${id}: no resource of that name`);
      default:
        return NAME_PROPERTY[type] !== undefined || type === 'AWS::Serverless::SimpleTable' ? this.name(id) : id;
    }
  }

  getAtt(id: string, attribute: string, path: Path): unknown {
    const type = this.typeOf(id) ?? '';
    const value = this.attributes(id, type)[attribute];
    if (value === undefined) {
      const known = Object.keys(this.attributes(id, type));
      throw new TemplateError(path, `Fn::GetAtt ${id}.${attribute}: ${type} ${id} has no attribute ${attribute} here${known.length > 0 ? ` (it has ${known.join(', ')})` : ''}`);
    }
    return value;
  }

  /** The logical id of the resource whose Ref or ARN is `value`, when it is one of this template's. */
  resourceOf(value: unknown): string | undefined {
    if (typeof value !== 'string') return undefined;
    this.index ??= this.buildIndex();
    return this.index.get(value) ?? this.index.get(value.replace(/\/stream\/[^/]+$/, '/stream/*'));
  }

  private buildIndex(): Map<string, string> {
    const index = new Map<string, string>();
    for (const id of Object.keys(this.resources)) {
      const type = this.resources[id]!.Type;
      for (const value of [this.safe(() => this.ref(id, [])), ...Object.values(this.attributes(id, type))]) {
        if (typeof value === 'string' && !index.has(value)) index.set(value, id);
      }
      if (type === 'AWS::DynamoDB::Table' || type === 'AWS::Serverless::SimpleTable') index.set(`${this.arn('dynamodb', `table/${this.name(id)}`)}/stream/*`, id);
    }
    return index;
  }

  private safe(fn: () => unknown): unknown {
    try {
      return fn();
    } catch {
      return undefined;
    }
  }

  private arn(service: string, resource: string, separator = ':'): string {
    const { region, accountId } = this.options;
    return `arn:aws:${service}:${region}:${accountId}${separator}${resource}`;
  }

  private attributes(id: string, type: string): Record<string, string> {
    const { region, accountId } = this.options;
    const name = (): string => this.name(id);
    switch (type) {
      case 'AWS::Serverless::Function':
      case 'AWS::Lambda::Function':
        return { Arn: this.arn('lambda', `function:${name()}`) };
      case 'AWS::Serverless::SimpleTable':
      case 'AWS::DynamoDB::Table':
        return { Arn: this.arn('dynamodb', `table/${name()}`), StreamArn: this.arn('dynamodb', `table/${name()}/stream/${STREAM_LABEL}`) };
      case 'AWS::S3::Bucket':
        return {
          Arn: `arn:aws:s3:::${name()}`,
          DomainName: `${name()}.s3.amazonaws.com`,
          RegionalDomainName: `${name()}.s3.${region}.amazonaws.com`,
          DualStackDomainName: `${name()}.s3.dualstack.${region}.amazonaws.com`,
          WebsiteURL: `http://${name()}.s3-website-${region}.amazonaws.com`,
        };
      case 'AWS::SQS::Queue':
        return { Arn: this.arn('sqs', name()), QueueName: name(), QueueUrl: String(this.ref(id, [])) };
      case 'AWS::SNS::Topic':
        return { TopicArn: String(this.ref(id, [])), TopicName: name() };
      case 'AWS::Serverless::Api':
        return { RootResourceId: `${this.options.apiId(this.options.app, id).slice(0, 6)}root` };
      case 'AWS::Serverless::HttpApi':
        return { ApiEndpoint: `https://${this.options.apiId(this.options.app, id)}.execute-api.${region}.amazonaws.com`, ApiId: this.options.apiId(this.options.app, id) };
      case 'AWS::IAM::Role':
        return { Arn: `arn:aws:iam::${accountId}:role/${name()}`, RoleId: `AROA${id.toUpperCase().slice(0, 17)}` };
      case 'AWS::IAM::ManagedPolicy':
        return { PolicyArn: `arn:aws:iam::${accountId}:policy/${name()}` };
      case 'AWS::SSM::Parameter': {
        const properties = this.resources[id]?.Properties ?? {};
        return { Type: String(properties.Type ?? 'String'), Value: String(this.evaluateName(properties.Value, ['Resources', id, 'Properties', 'Value']) ?? '') };
      }
      case 'AWS::Logs::LogGroup':
        return { Arn: this.arn('logs', `log-group:${name()}:*`) };
      case 'AWS::Events::Rule':
        return { Arn: this.arn('events', `rule/${name()}`) };
      case 'AWS::Serverless::LayerVersion':
      case 'AWS::Lambda::LayerVersion':
        return { LayerVersionArn: String(this.ref(id, [])) };
      default:
        return {};
    }
  }

  /** `<app>-<LogicalId>` as CloudFormation's `<stack>-<LogicalId>-<suffix>`, fitted to each service's rules. */
  private defaultName(id: string, type: string): string {
    const { app } = this.options;
    switch (type) {
      case 'AWS::Serverless::Function':
      case 'AWS::Lambda::Function':
      case 'AWS::Serverless::LayerVersion':
      case 'AWS::Lambda::LayerVersion':
        return id.slice(0, 64);
      case 'AWS::S3::Bucket':
        return `${app}-${id.toLowerCase()}`.slice(0, 63).replace(/[^a-z0-9]+$/, '');
      case 'AWS::SQS::Queue': {
        const fifo = this.resources[id]?.Properties.FifoQueue === true || this.resources[id]?.Properties.FifoQueue === 'true';
        return `${app}-${id}`.slice(0, fifo ? 75 : 80) + (fifo ? '.fifo' : '');
      }
      case 'AWS::SSM::Parameter':
        return `/${app}/${id}`;
      case 'AWS::Logs::LogGroup':
        return `/${app}/${id}`;
      case 'AWS::IAM::Role':
        return `${app}-${id}`.slice(0, 64);
      default:
        return `${app}-${id}`;
    }
  }

  private implicitOf(id: string): { type: string; name: string } | undefined {
    if (id === IMPLICIT_REST_API) return this.usesImplicitApi('Api') ? { type: 'AWS::Serverless::Api', name: id } : undefined;
    if (id === IMPLICIT_HTTP_API) return this.usesImplicitApi('HttpApi') ? { type: 'AWS::Serverless::HttpApi', name: id } : undefined;
    if (id.endsWith('Role')) {
      const fn = this.resources[id.slice(0, -'Role'.length)];
      if (fn?.Type === 'AWS::Serverless::Function' && fn.Properties.Role === undefined) return { type: 'AWS::IAM::Role', name: functionRoleName(this.options.app, id.slice(0, -4)) };
    }
    return undefined;
  }

  private usesImplicitApi(eventType: 'Api' | 'HttpApi'): boolean {
    const idProperty = eventType === 'Api' ? 'RestApiId' : 'ApiId';
    return Object.values(this.resources).some((r) => r.Type === 'AWS::Serverless::Function' && Object.values((r.Properties.Events ?? {}) as Record<string, { Type?: unknown; Properties?: Record<string, unknown> }>)
      .some((event) => event?.Type === eventType && event.Properties?.[idProperty] === undefined));
  }
}
