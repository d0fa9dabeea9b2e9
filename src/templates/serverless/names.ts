/**
 * The Framework's CloudFormation logical ids (lib/plugins/aws/lib/naming.js in serverless/serverless), so
 * `resources:` and Outputs that refer to them (`!GetAtt HelloLambdaFunction.Arn`, `!Ref ApiGatewayRestApi`)
 * keep working.
 */

/** "hello" → "Hello". */
export function normalizeName(name: string): string {
  return name.charAt(0).toUpperCase() + name.slice(1);
}

/** "my-photos" → "Myphotos". */
export function normalizeAlphaNumeric(name: string): string {
  return normalizeName(name.replace(/[^0-9A-Za-z]/g, ''));
}

/** "create-note_v2" → "CreateDashnoteUnderscorev2". */
export function normalizedFunctionName(name: string): string {
  return normalizeName(name.replace(/-/g, 'Dash').replace(/_/g, 'Underscore'));
}

export const logicalIds = {
  function: (name: string): string => `${normalizedFunctionName(name)}LambdaFunction`,
  logGroup: (name: string): string => `${normalizedFunctionName(name)}LogGroup`,
  layer: (name: string): string => `${normalizedFunctionName(name)}LambdaLayer`,
  s3Bucket: (bucket: string): string => `S3Bucket${normalizeAlphaNumeric(bucket)}`,
  snsTopic: (topic: string): string => `SNSTopic${normalizeAlphaNumeric(topic)}`,
  eventBus: (bus: string): string => `EventBridgeEventBus${normalizeAlphaNumeric(bus)}`,
  restApi: 'ApiGatewayRestApi',
  httpApi: 'HttpApi',
};
