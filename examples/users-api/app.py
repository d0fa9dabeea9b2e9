import json
import uuid

import boto3

dynamodb = boto3.resource('dynamodb')
table = dynamodb.Table('Users')


def lambda_handler(event, context):
    body = json.loads(event.get('body') or '{}')
    if 'name' not in body or 'email' not in body:
        return {
            'statusCode': 400,
            'body': json.dumps({'message': 'name and email are required'}),
        }
    user_id = str(uuid.uuid4())
    table.put_item(Item={'id': user_id, 'name': body['name'], 'email': body['email']})
    return {
        'statusCode': 200,
        'body': json.dumps({'message': 'Success', 'id': user_id}),
    }
