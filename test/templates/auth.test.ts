/**
 * SAM's API Auth deployed as written: a REST API's Lambda TOKEN authorizer as its default, a route opting out with
 * `Authorizer: NONE`, an HTTP API's simple-response authorizer and an AWS_IAM route; a Cognito authorizer is listed as
 * not honoured. https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/sam-property-api-apiauth.html
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DeployReport } from '../../src/services/admin/index.js';
import { startAppNode, type AppNode } from '../helpers/app-node.js';
import { translate } from './helpers.js';

const TEMPLATE = `AWSTemplateFormatVersion: '2010-09-09'
Transform: AWS::Serverless-2016-10-31
Globals:
  Function: { Runtime: nodejs20.x, CodeUri: . }
Resources:
  ShopApi:
    Type: AWS::Serverless::Api
    Properties:
      StageName: prod
      Auth:
        DefaultAuthorizer: TokenCheck
        Authorizers:
          TokenCheck:
            FunctionArn: !GetAtt Gate.Arn
            Identity: { Header: X-Token, ReauthorizeEvery: 0 }
          Pool:
            UserPoolArn: arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_x
  MembersApi:
    Type: AWS::Serverless::HttpApi
    Properties:
      Auth:
        EnableIamAuthorizer: true
        Authorizers:
          Simple:
            FunctionArn: !GetAtt SimpleGate.Arn
            AuthorizerPayloadFormatVersion: '2.0'
            EnableSimpleResponses: true
            Identity: { Headers: [Authorization] }
  Gate: { Type: AWS::Serverless::Function, Properties: { Handler: index.gate } }
  SimpleGate: { Type: AWS::Serverless::Function, Properties: { Handler: index.simple } }
  Echo:
    Type: AWS::Serverless::Function
    Properties:
      Handler: index.echo
      Events:
        Orders: { Type: Api, Properties: { RestApiId: !Ref ShopApi, Path: /orders, Method: get } }
        Health: { Type: Api, Properties: { RestApiId: !Ref ShopApi, Path: /health, Method: get, Auth: { Authorizer: NONE } } }
        Members: { Type: HttpApi, Properties: { ApiId: !Ref MembersApi, Path: /members, Method: get, Auth: { Authorizer: Simple } } }
        Signed: { Type: HttpApi, Properties: { ApiId: !Ref MembersApi, Path: /signed, Method: get, Auth: { Authorizer: AWS_IAM } } }
`;

const CODE = `
exports.echo = async (event) => ({ statusCode: 200, body: JSON.stringify(event.requestContext.authorizer ?? null) });
exports.gate = async (event) => ({
  principalId: 'ann',
  policyDocument: { Version: '2012-10-17', Statement: [{ Action: 'execute-api:Invoke', Effect: event.authorizationToken === 'good' ? 'Allow' : 'Deny', Resource: event.methodArn }] },
});
exports.simple = async (event) => ({ isAuthorized: event.headers.authorization === 'member' });
`;

describe('SAM Auth', () => {
  it('translates authorizers, the default and per-route choices, and lists what it cannot run', () => {
    const { document, unsupported } = translate(TEMPLATE);
    expect(document.apis?.ShopApi).toMatchObject({ stage: 'prod', auth: 'TokenCheck', authorizers: { TokenCheck: { function: 'Gate', type: 'token', identitySource: ['header.X-Token'], ttl: 0 } } });
    expect(document.apis?.MembersApi).toMatchObject({ authorizers: { Simple: { function: 'SimpleGate', payload: '2.0', simpleResponses: true, identitySource: ['header.Authorization'] } } });
    expect(document.functions.Echo?.events).toContainEqual({ http: { method: 'GET', path: '/health', api: 'ShopApi', auth: 'none' } });
    expect(document.functions.Echo?.events).toContainEqual({ http: { method: 'GET', path: '/signed', api: 'MembersApi', auth: 'iam' } });
    expect(unsupported.join('\n')).toContain('Auth.Authorizers.Pool');
  });

  describe('deployed', () => {
    let app: AppNode;
    let report: DeployReport;
    beforeAll(async () => {
      app = await startAppNode({ 'template.yaml': TEMPLATE, 'index.js': CODE, 'package.json': '{"type":"commonjs"}' });
      report = await app.node.deployDir(app.appDir);
    });
    afterAll(() => app?.close());

    it('runs the REST default authorizer, lets the opted-out route through, and stays under the stage', async () => {
      const url = app.node.url;
      expect((await fetch(`${url}/prod/orders`)).status).toBe(401);
      expect((await fetch(`${url}/prod/orders`, { headers: { 'x-token': 'bad' } })).status).toBe(403);
      const ok = await fetch(`${url}/prod/orders`, { headers: { 'x-token': 'good' } });
      expect(ok.status).toBe(200);
      expect(await ok.json()).toMatchObject({ principalId: 'ann' });
      expect((await fetch(`${url}/prod/health`)).status).toBe(200);
      expect(report.unsupported?.join('\n')).toContain('Pool');
    });

    it('runs the HTTP API simple authorizer and refuses an unsigned AWS_IAM route', async () => {
      const url = app.node.url;
      expect((await fetch(`${url}/members`, { headers: { authorization: 'guest' } })).status).toBe(403);
      expect((await fetch(`${url}/members`, { headers: { authorization: 'member' } })).status).toBe(200);
      expect((await fetch(`${url}/signed`)).status).toBe(403);
    });
  });
});
