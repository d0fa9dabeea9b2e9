import json
import logging
from collections import Counter

logger = logging.getLogger()
logger.setLevel(logging.INFO)


def handler(event, context):
    """Counts words in the request body (an HTTP API event) or in event['text'] (a direct invoke)."""
    text = event.get("body") if "requestContext" in event else event.get("text")
    if not text:
        return {"statusCode": 400, "body": json.dumps({"message": "send some text"})}
    counts = Counter(text.lower().split())
    logger.info("counted %d words", sum(counts.values()))
    result = {"words": sum(counts.values()), "top": counts.most_common(3), "function": context.function_name}
    if "requestContext" in event:
        return {"statusCode": 200, "headers": {"content-type": "application/json"}, "body": json.dumps(result)}
    return result
