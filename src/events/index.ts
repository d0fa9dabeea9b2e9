export { AsyncInvocations, ASYNC_QUEUE, type AsyncEvent, type AsyncInvocationOptions } from './async-invocations.js';
