/**
 * Asynchronous invocation configuration per function and qualifier (Lambda's FunctionEventInvokeConfig): how
 * often a failed event is retried (0 to 2), how old it may grow (60 s to 6 h), and where its outcome goes
 * (OnSuccess, OnFailure: an SQS queue, SNS topic or Lambda function). AsyncInvocations reads it through
 * `settings()`, together with the function's dead-letter target.
 */
import { FlintError, isFlintError, type Clock } from '../core/index.js';
import { LATEST, parseFunctionRef, type FunctionRegistry } from '../functions/index.js';
import type { MetadataStore } from '../storage/index.js';
import { ARN_PATTERN, parseFunctionArn, serviceOf } from './arns.js';
import { constraintIssue, invalidValue, Issues, notSupported, resourceNotFound, validationFailed } from './errors.js';
import type { DestinationSender } from './ports.js';

const COLLECTION = 'event_invoke_configs';
const LIST_DEFAULT = 50;
const SETTINGS_CACHE_MS = 2_000;
const DESTINATION_PATTERN = '$|kafka://([^.]([a-zA-Z0-9\\-_.]{0,248}))|arn:(aws[a-zA-Z0-9-]*):([a-zA-Z0-9\\-])+:([a-z]{2}((-gov)|(-iso([a-z]?)))?-[a-z]+-\\d{1})?:(\\d{12})?:(.*)';

export interface Destinations {
  onSuccess?: string;
  onFailure?: string;
}

export interface EventInvokeConfig {
  functionName: string;
  /** '$LATEST', a version or an alias. */
  qualifier: string;
  maximumRetryAttempts?: number;
  maximumEventAgeInSeconds?: number;
  destinations: Destinations;
  /** Epoch ms. */
  lastModified: number;
}

export interface EventInvokeConfigInput {
  maximumRetryAttempts?: number;
  maximumEventAgeInSeconds?: number;
  /** Absent: not given. A destination of '' is no destination. */
  destinations?: Destinations;
}

/** What AsyncInvocations applies to one event. */
export interface AsyncSettings {
  maximumRetryAttempts?: number;
  maximumEventAgeMs?: number;
  onSuccess?: string;
  onFailure?: string;
  deadLetterTargetArn?: string;
}

export interface EventInvokeConfigsOptions {
  metadata: MetadataStore;
  registry: FunctionRegistry;
  clock: Clock;
  /** Checks that queue and topic destinations exist, when given. */
  destinations?: Pick<DestinationSender, 'exists'>;
}

export class EventInvokeConfigs {
  private readonly cache = new Map<string, { settings: AsyncSettings; until: number }>();

  constructor(private readonly options: EventInvokeConfigsOptions) {}

  /** PutFunctionEventInvokeConfig: replaces the whole configuration. */
  async put(functionName: string, qualifier: string | undefined, input: EventInvokeConfigInput): Promise<EventInvokeConfig> {
    const ref = this.ref(functionName, qualifier);
    checkRanges(input);
    await this.requireFunction(ref.name, ref.qualifier);
    if (input.maximumRetryAttempts === undefined && input.maximumEventAgeInSeconds === undefined && input.destinations === undefined) {
      throw invalidValue('You must specify at least one of error handling or destination setting.');
    }
    const destinations = await this.checkDestinations(ref.name, input.destinations ?? {});
    const config: EventInvokeConfig = { functionName: ref.name, qualifier: ref.qualifier, destinations, lastModified: this.options.clock.now() };
    if (input.maximumRetryAttempts !== undefined) config.maximumRetryAttempts = input.maximumRetryAttempts;
    if (input.maximumEventAgeInSeconds !== undefined) config.maximumEventAgeInSeconds = input.maximumEventAgeInSeconds;
    return this.write(config);
  }

  /** UpdateFunctionEventInvokeConfig: changes the fields given and keeps the rest. */
  async update(functionName: string, qualifier: string | undefined, input: EventInvokeConfigInput): Promise<EventInvokeConfig> {
    const ref = this.ref(functionName, qualifier);
    checkRanges(input);
    await this.requireFunction(ref.name, ref.qualifier);
    if (input.maximumRetryAttempts === undefined && input.maximumEventAgeInSeconds === undefined && input.destinations === undefined) {
      throw invalidValue('You must specify at least one of error handling or destination setting.');
    }
    const current = await this.read(ref.name, ref.qualifier);
    if (!current) throw this.notFound(ref.name, ref.qualifier);
    const given = input.destinations ?? {};
    const merged: Destinations = {
      onSuccess: given.onSuccess !== undefined ? given.onSuccess : current.destinations.onSuccess,
      onFailure: given.onFailure !== undefined ? given.onFailure : current.destinations.onFailure,
    };
    const config: EventInvokeConfig = { ...current, destinations: await this.checkDestinations(ref.name, merged), lastModified: this.options.clock.now() };
    if (input.maximumRetryAttempts !== undefined) config.maximumRetryAttempts = input.maximumRetryAttempts;
    if (input.maximumEventAgeInSeconds !== undefined) config.maximumEventAgeInSeconds = input.maximumEventAgeInSeconds;
    return this.write(config);
  }

  async get(functionName: string, qualifier: string | undefined): Promise<EventInvokeConfig> {
    const ref = this.ref(functionName, qualifier);
    const config = await this.read(ref.name, ref.qualifier);
    if (!config) throw this.notFound(ref.name, ref.qualifier);
    return config;
  }

  async delete(functionName: string, qualifier: string | undefined): Promise<void> {
    const ref = this.ref(functionName, qualifier);
    if (!(await this.options.metadata.delete(COLLECTION, key(ref.name, ref.qualifier)))) throw this.notFound(ref.name, ref.qualifier);
    this.cache.clear();
  }

  /** Every qualifier's configuration of a function: $LATEST, versions, then aliases. */
  async list(functionName: string, page: { marker?: string; maxItems?: number } = {}): Promise<{ items: EventInvokeConfig[]; nextMarker?: string }> {
    const name = this.ref(functionName, undefined).name;
    new Issues().range('maxItems', page.maxItems, 1, 50).done();
    await this.requireFunction(name, LATEST);
    const limit = page.maxItems ?? LIST_DEFAULT;
    const docs = await this.options.metadata.list<EventInvokeConfig>(COLLECTION, { prefix: `${name}/`, after: page.marker, limit: limit + 1 });
    const items = docs.slice(0, limit).map((d) => d.value);
    return docs.length > limit ? { items, nextMarker: docs[limit - 1]!.key } : { items };
  }

  /** Removes every configuration of a function (the platform calls it when a function is deleted, as Lambda does). */
  async deleteFunction(functionName: string): Promise<void> {
    for (const doc of await this.options.metadata.list(COLLECTION, { prefix: `${functionName}/` })) await this.options.metadata.delete(COLLECTION, doc.key);
    this.cache.clear();
  }

  /** The settings an asynchronous event of this function and qualifier runs with; briefly cached. */
  async settings(functionName: string, qualifier: string | undefined): Promise<AsyncSettings> {
    const ref = parseFunctionRef(functionName);
    const resolvedQualifier = qualifier ?? ref.qualifier ?? LATEST;
    const cacheKey = key(ref.name, resolvedQualifier);
    const now = this.options.clock.now();
    const hit = this.cache.get(cacheKey);
    if (hit && hit.until > now) return hit.settings;
    const settings = await this.load(ref.name, resolvedQualifier);
    this.cache.set(cacheKey, { settings, until: now + SETTINGS_CACHE_MS });
    return settings;
  }

  private async load(name: string, qualifier: string): Promise<AsyncSettings> {
    const config = await this.read(name, qualifier);
    const settings: AsyncSettings = {};
    if (config?.maximumRetryAttempts !== undefined) settings.maximumRetryAttempts = config.maximumRetryAttempts;
    if (config?.maximumEventAgeInSeconds !== undefined) settings.maximumEventAgeMs = config.maximumEventAgeInSeconds * 1000;
    if (config?.destinations.onSuccess) settings.onSuccess = config.destinations.onSuccess;
    if (config?.destinations.onFailure) settings.onFailure = config.destinations.onFailure;
    const deadLetter = await this.options.registry.get(name, qualifier).then((c) => c.deadLetterTargetArn, () => undefined);
    if (deadLetter) settings.deadLetterTargetArn = deadLetter;
    return settings;
  }

  private async read(name: string, qualifier: string): Promise<EventInvokeConfig | undefined> {
    return (await this.options.metadata.get<EventInvokeConfig>(COLLECTION, key(name, qualifier)))?.value;
  }

  private async write(config: EventInvokeConfig): Promise<EventInvokeConfig> {
    await this.options.metadata.put(COLLECTION, key(config.functionName, config.qualifier), config);
    this.cache.clear();
    return config;
  }

  /** The function and qualifier a call names, in the qualifier parameter or at the end of the name or ARN. */
  private ref(functionName: string, qualifier: string | undefined): { name: string; qualifier: string } {
    const ref = parseFunctionRef(functionName);
    const given = qualifier === '' ? undefined : qualifier;
    if (given !== undefined && ref.qualifier !== undefined && given !== ref.qualifier) {
      throw invalidValue('The derived qualifier from the function name does not match the specified qualifier.');
    }
    return { name: ref.name, qualifier: given ?? ref.qualifier ?? LATEST };
  }

  private async requireFunction(name: string, qualifier: string): Promise<void> {
    try {
      await this.options.registry.get(name, qualifier);
    } catch (error) {
      if (isFlintError(error, 'FUNCTION_NOT_FOUND')) throw new FlintError('FUNCTION_NOT_FOUND', "The function doesn't exist.", { resource: this.options.registry.arn(name, qualifier) });
      throw error;
    }
  }

  private notFound(name: string, qualifier: string): FlintError {
    return resourceNotFound(`The function ${this.options.registry.arn(name, qualifier)} doesn't have an EventInvokeConfig`, this.options.registry.arn(name, qualifier));
  }

  /** Lambda accepts queues, topics, other functions and event buses; Flint has no event buses. */
  private async checkDestinations(functionName: string, destinations: Destinations): Promise<Destinations> {
    const checked: Destinations = {};
    for (const side of ['onSuccess', 'onFailure'] as const) {
      const arn = destinations[side];
      if (arn === undefined || arn === '') continue;
      if (!ARN_PATTERN.test(arn)) {
        throw validationFailed([constraintIssue(`destinationConfig.${side}.destination`, arn, `Member must satisfy regular expression pattern: ${DESTINATION_PATTERN}`)]);
      }
      await this.checkDestination(functionName, arn, destinations);
      checked[side] = arn;
    }
    return checked;
  }

  private async checkDestination(functionName: string, arn: string, all: Destinations): Promise<void> {
    const service = serviceOf(arn);
    if (service === 'events') throw notSupported('EventBridge destinations');
    if (service === 'lambda') {
      const target = parseFunctionArn(arn);
      if (!target) throw invalidValue(`The destination ARN ${arn} is invalid.`);
      if (target.name === functionName) throw invalidValue("You can't specify the function as a destination for itself.");
      const exists = await this.options.registry.get(target.name, target.qualifier).then(() => true, () => false);
      if (!exists) throw invalidValue(`The destination ARN ${arn} is invalid.`);
      return;
    }
    if (service !== 'sqs' && service !== 'sns') {
      const shown = (value: string | undefined, type: string) => (value ? `${type}(destination=${value})` : 'null');
      throw invalidValue(`The provided destination config DestinationConfig(onSuccess=${shown(all.onSuccess, 'OnSuccess')}, onFailure=${shown(all.onFailure, 'OnFailure')}) is invalid.`);
    }
    const exists = this.options.destinations?.exists;
    if (exists && !(await exists.call(this.options.destinations, arn))) throw invalidValue(`The destination ARN ${arn} is invalid.`);
  }
}

function key(name: string, qualifier: string): string {
  return `${name}/${qualifier}`;
}

function checkRanges(input: EventInvokeConfigInput): void {
  new Issues().range('maximumRetryAttempts', input.maximumRetryAttempts, 0, 2).range('maximumEventAgeInSeconds', input.maximumEventAgeInSeconds, 60, 21_600).done();
}
