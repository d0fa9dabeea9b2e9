"""Greets by name with the layer's module, and publishes each greeting to the topic."""
import json
import os

import boto3
from greeting import greet

sns = boto3.client("sns")


def handler(event, context):
    text = greet(event["pathParameters"]["name"])
    sns.publish(TopicArn=os.environ["TOPIC_ARN"], Message=text)
    return {"statusCode": 200, "headers": {"content-type": "application/json"}, "body": json.dumps({"greeting": text})}
