"""The root logging handler awslambdaric installs, installed when the function imports logging."""

import json
import time

TEXT_LOG_FORMAT = "[%(levelname)s]\t%(asctime)s.%(msecs)03dZ\t%(aws_request_id)s\t%(message)s\n"
TEXT_LOG_DATE_FORMAT = "%Y-%m-%dT%H:%M:%S"
JSON_LOG_DATE_FORMAT = "%Y-%m-%dT%H:%M:%SZ"
JSON_RESERVED_FIELDS = frozenset([
    "name", "msg", "args", "levelname", "levelno", "pathname", "filename", "module", "exc_info", "exc_text",
    "stack_info", "lineno", "funcName", "created", "msecs", "relativeCreated", "thread", "threadName",
    "processName", "process", "aws_request_id", "tenant_id", "_frame_type",
])


def log_level_from_env(value):
    """AWS_LAMBDA_LOG_LEVEL as awslambdaric reads it: TRACE means DEBUG; unset leaves the root at WARNING."""
    if value is None:
        return ""
    return ("DEBUG" if value == "TRACE" else value).upper()


def install_lambda_logging(logging, log_sink, current_request_id, json_format, log_level):
    """Lambda's line format in UTC with the request id on every line (or JSON lines), on the root logger."""
    logging.Formatter.converter = time.gmtime
    handler = make_handler(logging, log_sink)
    handler.setFormatter(make_json_formatter(logging) if json_format else make_text_formatter(logging))
    handler.addFilter(make_request_id_filter(logging, current_request_id))
    root = logging.getLogger()
    if log_level in logging._nameToLevel:
        root.setLevel(log_level)
    root.addHandler(handler)


def make_handler(logging, log_sink):
    class LambdaLoggerHandler(logging.Handler):
        def __init__(self):
            logging.Handler.__init__(self)
            self.log_sink = log_sink

        def emit(self, record):
            try:
                self.log_sink.log(self.format(record))
            except Exception:
                self.handleError(record)

    return LambdaLoggerHandler()


def make_request_id_filter(logging, current_request_id):
    class LambdaLoggerFilter(logging.Filter):
        def filter(self, record):
            record.aws_request_id = current_request_id() or ""
            record.tenant_id = None
            return True

    return LambdaLoggerFilter()


def make_text_formatter(logging):
    return logging.Formatter(TEXT_LOG_FORMAT, TEXT_LOG_DATE_FORMAT)


def make_json_formatter(logging):
    """awslambdaric's JsonFormatter, for functions whose log format is JSON."""
    encode = json.JSONEncoder(ensure_ascii=False).encode

    class JsonFormatter(logging.Formatter):
        def __init__(self):
            logging.Formatter.__init__(self, datefmt=JSON_LOG_DATE_FORMAT)

        def format(self, record):
            record.levelno = min(50, max(0, record.levelno)) // 10 * 10
            record.levelname = logging.getLevelName(record.levelno)
            exception = describe_exception(record)
            result = {
                "timestamp": self.formatTime(record, self.datefmt),
                "level": record.levelname,
                "message": record.getMessage(),
                "logger": record.name,
                "stackTrace": exception.get("stackTrace"),
                "errorType": exception.get("errorType"),
                "errorMessage": exception.get("errorMessage"),
                "requestId": getattr(record, "aws_request_id", None),
                "location": exception.get("location"),
            }
            result.update(
                (key, value) for key, value in record.__dict__.items()
                if key not in JSON_RESERVED_FIELDS and key not in result
            )
            return encode(dict((k, v) for k, v in result.items() if v is not None)) + "\n"

    return JsonFormatter()


def describe_exception(record):
    if not record.exc_info:
        return {}
    import traceback

    etype, value, tb = record.exc_info
    return {
        "stackTrace": traceback.format_tb(tb),
        "errorType": etype.__name__,
        "errorMessage": str(value),
        "location": "{}:{}:{}".format(record.pathname, record.funcName, record.lineno),
    }
