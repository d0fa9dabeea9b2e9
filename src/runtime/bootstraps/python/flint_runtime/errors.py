"""Error documents and error log records, formatted exactly as awslambdaric formats them."""

import os
import time

PACKAGE_DIR = os.path.dirname(os.path.abspath(__file__)) + os.sep
JSON_LOG_DATE_FORMAT = "%Y-%m-%dT%H:%M:%SZ"
ERROR_LOG_IDENT = "\u00a0"  # Lambda indents traceback lines in the log with NO-BREAK SPACEs
UNHANDLED_EXCEPTION_WARNING = (
    "LAMBDA_WARNING: "
    "Unhandled exception. "
    "The most likely cause is an issue in the function code. "
    "However, in rare cases, a Lambda runtime update can cause unexpected function behavior. "
    "For functions using managed runtimes, runtime updates can be triggered by a function change, "
    "or can be applied automatically. "
    "To determine if the runtime has been updated, check the runtime version in the INIT_START log entry. "
    "If this error correlates with a change in the runtime version, you may be able to mitigate this error "
    "by temporarily rolling back to the previous runtime version. "
    "For more information, see https://docs.aws.amazon.com/lambda/latest/dg/runtimes-update.html\r"
)


class FaultException(Exception):
    """A failure Lambda reports with its own Runtime.* error type rather than the user's exception."""

    MARSHAL_ERROR = "Runtime.MarshalError"
    UNMARSHAL_ERROR = "Runtime.UnmarshalError"
    USER_CODE_SYNTAX_ERROR = "Runtime.UserCodeSyntaxError"
    HANDLER_NOT_FOUND = "Runtime.HandlerNotFound"
    IMPORT_MODULE_ERROR = "Runtime.ImportModuleError"
    BUILT_IN_MODULE_CONFLICT = "Runtime.BuiltInModuleConflict"
    MALFORMED_HANDLER_NAME = "Runtime.MalformedHandlerName"
    LAMBDA_CONTEXT_UNMARSHAL_ERROR = "Runtime.LambdaContextUnmarshalError"

    def __init__(self, exception_type, msg, trace=None):
        Exception.__init__(self, msg)
        self.msg = msg
        self.exception_type = exception_type
        self.trace = trace

    def to_error(self, invoke_id=None):
        return make_error(self.msg, self.exception_type, self.trace, invoke_id)


def make_error(error_message, error_type, stack_trace, invoke_id=None):
    return {
        "errorMessage": error_message if error_message else "",
        "errorType": error_type if error_type else "",
        "requestId": invoke_id if invoke_id is not None else "",
        "stackTrace": stack_trace if stack_trace else [],
    }


def error_from_exception(exc_info, invoke_id=None):
    """The error document for a user exception; the stack trace starts at the first frame not ours."""
    import traceback

    etype, value, tb = exc_info
    frames = [(f.filename, f.lineno, f.name, f.line) for f in traceback.extract_tb(tb)]
    for i in range(len(frames)):
        if not frames[i][0].startswith(PACKAGE_DIR):
            frames = frames[i:]
            break
    return make_error(str(value), etype.__name__, traceback.format_list(frames), invoke_id)


def format_error_log(error_result, json_format, encode):
    """The record Lambda logs for a failed init or invoke: `[ERROR] Type: message` and the traceback."""
    if json_format:
        document = {"timestamp": time.strftime(JSON_LOG_DATE_FORMAT, time.gmtime()), "log_level": "ERROR"}
        document.update(error_result)
        return encode(document) + "\n"
    lines = [describe_error(error_result)]
    stack_trace = error_result.get("stackTrace")
    if stack_trace is not None:
        lines.append("Traceback (most recent call last):")
        for element in stack_trace:
            if element == "":
                lines.append("")
            else:
                lines.extend(indent_with_nbsp(line) for line in element.splitlines())
    return "\n".join(lines) + "\n"


def describe_error(error_result):
    error_type = error_result.get("errorType")
    error_message = error_result.get("errorMessage")
    description = "[ERROR]"
    if error_type:
        description += " " + error_type
    if error_message:
        if error_type:
            description += ":"
        description += " " + error_message
    return description


def indent_with_nbsp(line):
    count = len(line) - len(line.lstrip(" "))
    return ERROR_LOG_IDENT * count + line[count:]
