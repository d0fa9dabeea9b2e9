"""Helpers for API Gateway HTTP API (payload 2.0) responses."""
import json
from decimal import Decimal


def _plain(value):
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    raise TypeError(f'{type(value).__name__} is not JSON serialisable')


def respond(status, body):
    return {
        'statusCode': status,
        'headers': {'Content-Type': 'application/json'},
        'body': json.dumps(body, default=_plain),
    }
