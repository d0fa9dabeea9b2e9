import type {
  CreateEventBusRequest,
  CreateEventBusResponse,
  DeleteEventBusRequest,
  DescribeEventBusRequest,
  DescribeEventBusResponse,
  EventBus,
  ListEventBusesRequest,
  ListEventBusesResponse,
} from './api.js';
import { busArn, busNameOf, DEFAULT_BUS } from './arns.js';
import { eventsError, validation } from './errors.js';
import { page } from './paging.js';
import type { BusRecord } from './records.js';
import { ruleKey } from './state.js';
import type { EventsContext } from './types.js';

/** Event buses: the default bus always exists and cannot be deleted; custom buses are created by name. */
export async function createEventBus(ctx: EventsContext, input: CreateEventBusRequest): Promise<CreateEventBusResponse> {
  if (input.Name.includes('/') && input.EventSourceName === undefined) throw validation('Event bus name must not contain \'/\'.');
  if (input.EventSourceName !== undefined) throw validation('Partner event sources are not supported by Flint.');
  const now = ctx.clock.now();
  const bus: BusRecord = { name: input.Name, createdAt: now, modifiedAt: now, tags: input.Tags ?? [] };
  if (input.Description !== undefined) bus.description = input.Description;
  if (await ctx.state.bus(input.Name)) throw alreadyExists(input.Name);
  try {
    await ctx.state.putBus(bus, true);
  } catch (error) {
    if (await ctx.state.bus(input.Name)) throw alreadyExists(input.Name);
    throw error;
  }
  return { EventBusArn: busArn(ctx.scope, bus.name), Description: bus.description };
}

export async function describeEventBus(ctx: EventsContext, input: DescribeEventBusRequest): Promise<DescribeEventBusResponse> {
  return view(ctx, await ctx.state.requireBus(busNameOf(input.Name)));
}

export async function listEventBuses(ctx: EventsContext, input: ListEventBusesRequest): Promise<ListEventBusesResponse> {
  const buses = (await ctx.state.buses()).filter((bus) => input.NamePrefix === undefined || bus.name.startsWith(input.NamePrefix));
  const { items, nextToken } = page(buses, input.Limit, input.NextToken);
  return { EventBuses: items.map((bus) => view(ctx, bus)), NextToken: nextToken };
}

/** Deleting a bus deletes its rules with it. */
export async function deleteEventBus(ctx: EventsContext, input: DeleteEventBusRequest): Promise<void> {
  const name = busNameOf(input.Name);
  if (name === DEFAULT_BUS) throw validation('Cannot delete event bus default.');
  const rules = await ctx.state.rules((await ctx.state.requireBus(name)).name);
  await ctx.state.deleteBus(name);
  for (const rule of rules) ctx.ruleChanged(undefined, ruleKey(name, rule.name));
}

function view(ctx: EventsContext, bus: BusRecord): EventBus {
  return { Name: bus.name, Arn: busArn(ctx.scope, bus.name), Description: bus.description, CreationTime: new Date(bus.createdAt), LastModifiedTime: new Date(bus.modifiedAt) };
}

function alreadyExists(name: string): Error {
  return eventsError('ResourceAlreadyExistsException', `Event bus ${name} already exists.`);
}
