import json

# pytools is not in this folder: the py-tools layer provides it at /opt/python.
import pytools


def handler(event, context):
    text = event.get("body") or ""
    return {"statusCode": 200, "headers": {"content-type": "application/json"}, "body": json.dumps(pytools.summary(text))}
