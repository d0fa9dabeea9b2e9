import type { Wording } from './codec.js';
import { AwsError, CORAL_SERVICE, CORAL_VALIDATE } from './errors.js';
import { coralMismatchMessage } from './json-values.js';
import type { ProtocolName } from './model.js';

/**
 * What AWS's servers say when a request fails before an operation runs, per protocol family, as the framework
 * behind most services (coral) words it. A service replaces what it words differently.
 */
export function defaultWording(protocol: ProtocolName, serviceNamespace: string): Wording {
  const query = protocol === 'query' || protocol === 'ec2';
  const xml = protocol === 'rest-xml';
  const unknown = (name: string | undefined): AwsError => {
    if (query) return new AwsError('InvalidAction', `The action ${name ?? ''} is not valid for this web service.`);
    if (xml) return new AwsError('MethodNotAllowed', 'The specified method is not allowed against this resource.', { status: 405 });
    return new AwsError('UnknownOperationException', name ? `Unknown operation ${name}` : 'Unknown operation', { namespace: CORAL_SERVICE, status: protocol === 'rest-json' ? 404 : 400 });
  };
  return {
    unknownOperation: (name) => unknown(name),
    notImplemented: (operation) => (xml ? new AwsError('NotImplemented', `Flint does not implement ${operation} yet.`, { status: 501 }) : unknown(operation)),
    malformedBody: (_operation, detail) => {
      if (xml) return new AwsError('MalformedXML', 'The XML you provided was not well-formed or did not validate against our published schema');
      if (query) return new AwsError('MalformedQueryString', detail);
      return new AwsError('SerializationException', detail, { namespace: CORAL_SERVICE, messageKey: 'Message' });
    },
    typeMismatch: (mismatch, model) => new AwsError('SerializationException', coralMismatchMessage(mismatch, serviceNamespace, model), { namespace: CORAL_SERVICE, messageKey: 'Message' }),
    badValue: (error) => {
      if (query) return new AwsError('InvalidParameterValue', `Value (${error.text}) for parameter ${error.path} is invalid.`);
      if (xml) return new AwsError('InvalidArgument', `Invalid value for ${error.path}: ${error.text}`);
      return new AwsError('SerializationException', `Invalid value for ${error.path}: ${error.text}`, { namespace: CORAL_SERVICE, messageKey: 'Message' });
    },
    tooLarge: (_operation, limit) => new AwsError(xml ? 'EntityTooLarge' : 'RequestEntityTooLargeException', `Request must be smaller than ${limit} bytes`, { status: 413 }),
    validation: (message) => (query ? new AwsError('ValidationError', message) : new AwsError('ValidationException', message, { namespace: CORAL_VALIDATE })),
    internal: () => {
      if (xml) return new AwsError('InternalError', 'We encountered an internal error. Please try again.', { status: 500 });
      if (query) return new AwsError('InternalFailure', 'The request processing has failed because of an unknown error, exception or failure.', { status: 500 });
      return new AwsError('InternalFailure', 'The request processing has failed because of an unknown error, exception or failure.', { namespace: CORAL_SERVICE, status: 500 });
    },
  };
}
