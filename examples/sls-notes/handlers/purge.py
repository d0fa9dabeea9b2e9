"""Scheduled handler: deletes notes older than maxAgeDays (given by the schedule's input)."""
import os
import time

import boto3

table = boto3.resource('dynamodb').Table(os.environ['NOTES_TABLE'])


def handler(event, context):
    cutoff = int(time.time()) - int(event.get('maxAgeDays', 30)) * 86400
    purged = 0
    for note in table.scan().get('Items', []):
        if note['createdAt'] < cutoff:
            table.delete_item(Key={'id': note['id']})
            purged += 1
    print(f'purged {purged} notes older than {cutoff}')
    return {'purged': purged}
