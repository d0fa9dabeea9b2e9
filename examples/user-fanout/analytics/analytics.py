import json

import boto3

table = boto3.resource('dynamodb').Table('Signups')


def handler(event, context):
    """Counts the signup for analytics (a Python function on the same topic)."""
    for record in event['Records']:
        user = json.loads(record['Sns']['Message'])
        if user.get('type') == 'UserCreated':
            table.put_item(Item={'userId': user['userId'], 'plan': user.get('plan', 'free'), 'messageId': record['Sns']['MessageId']})
            print('tracked signup', user['userId'])
