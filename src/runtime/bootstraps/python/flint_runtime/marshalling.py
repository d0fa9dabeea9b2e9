"""Events in, results out: JSON as awslambdaric reads and writes it, on the standard json module."""

import json
import sys

from .errors import FaultException

# awslambdaric writes non-ASCII characters as they are on these runtimes and escapes them before.
UNICODE_EXECUTION_ENVS = frozenset(
    ["AWS_Lambda_python3.12", "AWS_Lambda_python3.13", "AWS_Lambda_python3.14", "AWS_Lambda_python3.15"]
)


class Encoder(json.JSONEncoder):
    """Decimals (as boto3's DynamoDB layer returns them) become JSON numbers."""

    def __init__(self, ensure_ascii):
        json.JSONEncoder.__init__(self, ensure_ascii=ensure_ascii, allow_nan=True)

    def default(self, obj):
        # A Decimal only exists if its module was imported; looking it up avoids importing decimal.
        decimal = sys.modules.get("decimal")
        if decimal is not None and isinstance(obj, decimal.Decimal):
            return decimal_to_number(obj)
        return json.JSONEncoder.default(self, obj)


def encoder_for(execution_env):
    return Encoder(ensure_ascii=execution_env not in UNICODE_EXECUTION_ENVS)


def decimal_to_number(value):
    if value.is_nan():
        return float("nan")
    if value.is_finite() and value.as_tuple().exponent >= 0:
        return int(value)
    return float(value)


def unmarshal_event(body):
    try:
        return json.loads(body)
    except Exception as e:
        raise FaultException(FaultException.UNMARSHAL_ERROR, "Unable to unmarshal input: {}".format(str(e)))


def marshal_response(encoder, response):
    if isinstance(response, bytes):
        return response
    try:
        return encoder.encode(response).encode("utf-8")
    except Exception as e:
        raise FaultException(FaultException.MARSHAL_ERROR, "Unable to marshal response: {}".format(str(e)))
