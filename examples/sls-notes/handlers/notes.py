"""HTTP API handlers: create, read, list and delete notes kept in DynamoDB."""
import json
import os
import time
import uuid

import boto3

from handlers.http import respond

table = boto3.resource('dynamodb').Table(os.environ['NOTES_TABLE'])
sqs = boto3.client('sqs')


def create(event, context):
    try:
        body = json.loads(event.get('body') or '{}')
    except json.JSONDecodeError:
        return respond(400, {'message': 'the body must be JSON'})
    text = body.get('text')
    if not isinstance(text, str) or not text.strip():
        return respond(400, {'message': 'text is required'})
    note = {'id': str(uuid.uuid4()), 'text': text, 'createdAt': int(time.time())}
    table.put_item(Item=note)
    sqs.send_message(QueueUrl=os.environ['WORD_COUNT_QUEUE_URL'], MessageBody=json.dumps({'id': note['id']}))
    return respond(201, note)


def get(event, context):
    note_id = event['pathParameters']['id']
    item = table.get_item(Key={'id': note_id}).get('Item')
    if item is None:
        return respond(404, {'message': f'no note {note_id}'})
    return respond(200, item)


def list_notes(event, context):
    items = table.scan().get('Items', [])
    items.sort(key=lambda note: note['createdAt'])
    return respond(200, {'notes': items, 'stage': os.environ.get('STAGE')})


def delete(event, context):
    note_id = event['pathParameters']['id']
    table.delete_item(Key={'id': note_id})
    return {'statusCode': 204}
