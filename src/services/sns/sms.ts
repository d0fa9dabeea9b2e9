import { randomUUID } from 'node:crypto';
import type { SnsContext } from './context.js';
import type { DeliveryItem, RecordedDelivery } from './delivery-items.js';
import { invalidParameter, snsError } from './errors.js';
import { isoTime } from './formats.js';
import type { MessageAttributes } from './types.js';

/**
 * SMS as SNS offers it, without a carrier: Publish with PhoneNumber and `sms` subscriptions record the text as a
 * delivery (node-pages.ts serves them), the account's SMS attributes and opted-out numbers are stored. Opted-out
 * numbers get nothing, as on AWS.
 */
const SMS_ATTRIBUTES = 'sns-sms-attributes';
const OPTED_OUT = 'sns-sms-opted-out';
const ACCOUNT_KEY = 'account';

/** SetSMSAttributes' names (https://docs.aws.amazon.com/sns/latest/api/API_SetSMSAttributes.html). */
const SMS_ATTRIBUTE_NAMES = new Set(['MonthlySpendLimit', 'DeliveryStatusIAMRole', 'DeliveryStatusSuccessSamplingRate', 'DefaultSenderID', 'DefaultSMSType', 'UsageReportS3Bucket']);
/** What an account that never set anything reads (LocalStack's test_get_sms_attributes_from_unmodified_region, recorded from AWS). */
const DEFAULT_SMS_ATTRIBUTES: Record<string, string> = { MonthlySpendLimit: '1' };
const PAGE_SIZE = 100;

/**
 * A phone number as SNS accepts it: an optional "+", then digits in groups separated by single "-", "." , "/" or
 * spaces ("+12/34-567.890" is accepted, "+15--551234567" and "+15551234567." are not: LocalStack's
 * test_subscribe_invalid_sms and test_subscribe_sms_obscure_phone_number, recorded from AWS).
 */
const PHONE = /^\+?\d+(?:[-./ ]\d+)*$/;

export function isPhoneNumber(value: string): boolean {
  return PHONE.test(value) && value.replace(/\D/g, '').length <= 15;
}

// ---- attributes ---------------------------------------------------------------------------------------------------

export async function setSmsAttributes(ctx: SnsContext, attributes: Record<string, string>): Promise<void> {
  for (const [name, value] of Object.entries(attributes)) {
    // The wording of both errors is AWS's (LocalStack's test_set_invalid_sms_attributes).
    if (!SMS_ATTRIBUTE_NAMES.has(name)) throw snsError('InvalidParameterException', `${name} is not a valid attribute`);
    if (name === 'DefaultSMSType' && value !== 'Promotional' && value !== 'Transactional') throw snsError('InvalidParameterException', 'DefaultSMSType is invalid');
    if (name === 'DefaultSenderID' && !/^(?=.*[A-Za-z])[A-Za-z0-9]{1,11}$/.test(value)) throw snsError('InvalidParameterException', 'DefaultSenderID is invalid');
    if ((name === 'MonthlySpendLimit' || name === 'DeliveryStatusSuccessSamplingRate') && !/^\d+$/.test(value)) throw snsError('InvalidParameterException', `${name} is invalid`);
  }
  const current = await smsAttributes(ctx);
  await ctx.metadata.put(SMS_ATTRIBUTES, ACCOUNT_KEY, { ...current, ...attributes });
}

export async function getSmsAttributes(ctx: SnsContext, names: string[] | undefined): Promise<Record<string, string>> {
  const all = await smsAttributes(ctx);
  if (!names || names.length === 0) return all;
  return Object.fromEntries(Object.entries(all).filter(([name]) => names.includes(name)));
}

async function smsAttributes(ctx: SnsContext): Promise<Record<string, string>> {
  return { ...DEFAULT_SMS_ATTRIBUTES, ...(await ctx.metadata.get<Record<string, string>>(SMS_ATTRIBUTES, ACCOUNT_KEY))?.value };
}

// ---- opting out ---------------------------------------------------------------------------------------------------

function checkNumber(phoneNumber: string): string {
  if (!isPhoneNumber(phoneNumber)) throw invalidParameter('PhoneNumber Reason: input incorrectly formatted');
  return phoneNumber;
}

export async function isOptedOut(ctx: SnsContext, phoneNumber: string): Promise<boolean> {
  return (await ctx.metadata.get(OPTED_OUT, checkNumber(phoneNumber))) !== undefined;
}

/** What a "STOP" reply does on AWS; Flint's node page /_flint/sns/opted-out calls it. */
export async function optOut(ctx: SnsContext, phoneNumber: string): Promise<void> {
  await ctx.metadata.put(OPTED_OUT, checkNumber(phoneNumber), { at: ctx.clock.now() });
}

/** Opting in a number that is not opted out succeeds (LocalStack's test_opt_in_non_existing_phone_number). */
export async function optIn(ctx: SnsContext, phoneNumber: string): Promise<void> {
  await ctx.metadata.delete(OPTED_OUT, checkNumber(phoneNumber));
}

export async function listOptedOut(ctx: SnsContext, nextToken: string | undefined): Promise<{ phoneNumbers: string[]; nextToken?: string }> {
  const page = await ctx.metadata.list(OPTED_OUT, { after: nextToken, limit: PAGE_SIZE + 1 });
  const numbers = page.slice(0, PAGE_SIZE).map((doc) => doc.key);
  return page.length > PAGE_SIZE ? { phoneNumbers: numbers, nextToken: numbers[numbers.length - 1] } : { phoneNumbers: numbers };
}

// ---- sending ------------------------------------------------------------------------------------------------------

export interface DirectMessage {
  text: string;
  attributes: MessageAttributes;
}

/** Publish with PhoneNumber: the SMS is recorded (durably, through the delivery queue) unless the number opted out. */
export async function publishSms(ctx: SnsContext, phoneNumber: string, message: DirectMessage): Promise<string> {
  if (!isPhoneNumber(phoneNumber)) throw invalidParameter(`PhoneNumber Reason: ${phoneNumber} is not valid to publish to`);
  const messageId = randomUUID();
  if (await isOptedOut(ctx, phoneNumber)) return messageId;
  const defaults = await smsAttributes(ctx);
  const delivery: RecordedDelivery = {
    id: messageId,
    protocol: 'sms',
    endpoint: phoneNumber,
    type: 'Notification',
    messageId,
    message: message.text,
    timestamp: isoTime(ctx.clock.now()),
  };
  const attributes = smsSettings(message.attributes, defaults);
  if (Object.keys(attributes).length > 0) delivery.attributes = attributes;
  await recordDirect(ctx, delivery);
  return messageId;
}

/** The sender id and SMS type a text goes out with: the message's AWS.SNS.SMS.* attributes, else the account's defaults. */
function smsSettings(attributes: MessageAttributes, defaults: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(attributes)) if (value.StringValue !== undefined) out[name] = value.StringValue;
  if (out['AWS.SNS.SMS.SenderID'] === undefined && defaults.DefaultSenderID) out['AWS.SNS.SMS.SenderID'] = defaults.DefaultSenderID;
  if (out['AWS.SNS.SMS.SMSType'] === undefined && defaults.DefaultSMSType) out['AWS.SNS.SMS.SMSType'] = defaults.DefaultSMSType;
  return out;
}

/** Stores a recorded delivery that belongs to no subscription (a direct publish) through the delivery queue. */
export async function recordDirect(ctx: SnsContext, delivery: RecordedDelivery): Promise<void> {
  const item: DeliveryItem = { kind: 'record', subscriptionArn: '', requireSubscription: false, delivery };
  await ctx.enqueue([{ id: delivery.id, body: JSON.stringify(item) }]);
}
