"""SQS handler: counts the words of each note named in the batch; reports the notes it could not find."""
import json
import os

import boto3

table = boto3.resource('dynamodb').Table(os.environ['NOTES_TABLE'])


def count(event, context):
    failures = []
    for record in event['Records']:
        note_id = json.loads(record['body'])['id']
        note = table.get_item(Key={'id': note_id}).get('Item')
        if note is None:
            print(f'note {note_id} is gone; leaving the message for a retry')
            failures.append({'itemIdentifier': record['messageId']})
            continue
        table.update_item(
            Key={'id': note_id},
            UpdateExpression='SET words = :n',
            ExpressionAttributeValues={':n': len(note['text'].split())},
        )
    return {'batchItemFailures': failures}
