import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { arn, errorOf, LambdaHarness } from './harness.js';

describe('Lambda API: concurrency and account settings', () => {
  let h: LambdaHarness;
  beforeEach(async () => {
    await h?.close();
    h = await LambdaHarness.start();
  });
  afterAll(async () => {
    await h.close();
  });

  const put = (name: string, body: unknown) => h.call({ method: 'PUT', path: `/2017-10-31/functions/${encodeURIComponent(name)}/concurrency`, body });
  const get = (name: string) => h.call({ method: 'GET', path: `/2019-09-30/functions/${name}/concurrency` });

  it('PutFunctionConcurrency, GetFunctionConcurrency and DeleteFunctionConcurrency', async () => {
    await h.createFunction('reserved');
    expect((await get('reserved')).json()).toEqual({});

    const put5 = await put('reserved', { ReservedConcurrentExecutions: 5 });
    expect(put5.status).toBe(200);
    expect(put5.json()).toEqual({ ReservedConcurrentExecutions: 5 });
    expect((await get('reserved')).json()).toEqual({ ReservedConcurrentExecutions: 5 });

    const fn = await h.call({ method: 'GET', path: '/2015-03-31/functions/reserved' });
    expect(fn.json().Concurrency).toEqual({ ReservedConcurrentExecutions: 5 });

    const deleted = await h.call({ method: 'DELETE', path: '/2017-10-31/functions/reserved/concurrency' });
    expect(deleted.status).toBe(204);
    expect((await get('reserved')).json()).toEqual({});
    expect((await h.call({ method: 'GET', path: '/2015-03-31/functions/reserved' })).json()).not.toHaveProperty('Concurrency');
  });

  it('reports concurrency errors as Lambda does', async () => {
    await h.createFunction('limits');
    const missing = await put('nobody', { ReservedConcurrentExecutions: 1 });
    expect(errorOf(missing)).toEqual({ status: 404, type: 'ResourceNotFoundException', body: { Type: 'User', Message: `Function not found: ${arn('nobody', '$LATEST')}` } });

    const qualified = await put('limits:1', { ReservedConcurrentExecutions: 1 });
    expect(errorOf(qualified).type).toBe('InvalidParameterValueException');

    const tooMany = await put('limits', { ReservedConcurrentExecutions: 950 });
    expect(errorOf(tooMany)).toEqual({
      status: 400,
      type: 'InvalidParameterValueException',
      body: { Type: 'User', message: "Specified ReservedConcurrentExecutions for function decreases account's UnreservedConcurrentExecution below its minimum value of [100]." },
    });

    const absent = await put('limits', {});
    expect(errorOf(absent).body.message).toBe(
      "1 validation error detected: Value null at 'reservedConcurrentExecutions' failed to satisfy constraint: Member must not be null",
    );
    expect(errorOf(await get('nobody')).status).toBe(404);
  });

  it('GetAccountSettings reports limits, reservations and usage', async () => {
    const empty = await h.call({ method: 'GET', path: '/2016-08-19/account-settings/' });
    expect(empty.status).toBe(200);
    expect(empty.json()).toEqual({
      AccountLimit: {
        TotalCodeSize: 80_530_636_800,
        CodeSizeUnzipped: 262_144_000,
        CodeSizeZipped: 52_428_800,
        ConcurrentExecutions: 1000,
        UnreservedConcurrentExecutions: 1000,
      },
      AccountUsage: { TotalCodeSize: 0, FunctionCount: 0 },
    });

    const a = await h.createFunction('acct-a');
    await h.createFunction('acct-b');
    await h.call({ method: 'POST', path: '/2015-03-31/functions/acct-a/versions', body: {} });
    await put('acct-b', { ReservedConcurrentExecutions: 10 });
    const after = await h.call({ method: 'GET', path: '/2016-08-19/account-settings' });
    expect(after.json()).toMatchObject({
      AccountLimit: { ConcurrentExecutions: 1000, UnreservedConcurrentExecutions: 990 },
      // Both functions and acct-a's version 1 count towards the stored code.
      AccountUsage: { TotalCodeSize: 3 * Number(a.CodeSize), FunctionCount: 2 },
    });
  });
});
