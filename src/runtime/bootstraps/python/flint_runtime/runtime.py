"""The runtime loop: one `init`, then one `invoke` at a time, as ../../PROTOCOL.md describes.

lambda_logging and botocore_endpoints load only when the function imports logging or botocore."""

import os
import resource
import sys
import time

from .channel import Channel, ChannelClosed
from .context import LambdaContext, parse_json_header
from .errors import UNHANDLED_EXCEPTION_WARNING, FaultException, error_from_exception, format_error_log
from .handler import load_handler
from .hooks import PostImportHooks
from .marshalling import encoder_for, marshal_response, unmarshal_event
from .output import LogSink, LogWriter

CHANNEL_FD = 3
BOOTSTRAP_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


class Runtime(object):
    def __init__(self, channel):
        self.channel = channel
        self.log_sink = LogSink(channel)
        self.hooks = PostImportHooks()
        self.handler = None
        self.request_id = None
        self.json_log_format = False
        self.encoder = encoder_for(None)

    def current_request_id(self):
        return self.request_id

    def capture_output(self):
        sys.stdout = LogWriter(self.log_sink, 1, "<stdout>")
        sys.stderr = LogWriter(self.log_sink, 2, "<stderr>")

    def serve(self):
        header, _ = self.channel.read_frame()
        while header.get("type") == "ping":  # a waiting stem cell being warmed up
            self.channel.send({"type": "pong"})
            header, _ = self.channel.read_frame()
        if header.get("type") != "init":
            raise RuntimeError("expected an init frame, got {!r}".format(header.get("type")))
        self.init(header)
        while True:
            header, body = self.channel.read_frame()
            if header.get("type") == "invoke":
                self.invoke(header, body)

    def init(self, header):
        try:
            self.configure(header)
            started = time.perf_counter()
            self.handler = load_handler(str(header.get("handler") or ""))
            init_ms = (time.perf_counter() - started) * 1000
        except FaultException as e:
            self.fail_init(e.to_error())
        except Exception:
            self.fail_init(error_from_exception(sys.exc_info()))
        self.log_sink.flush()
        self.channel.send({"type": "ready", "initMs": round(init_ms, 3)})

    def configure(self, header):
        """Turns this generic process into the function's: environment, working directory, module path."""
        env = header.get("env") or {}
        os.environ.update(dict((str(key), str(value)) for key, value in env.items()))
        task_root = os.path.abspath(str(header.get("taskRoot") or os.getcwd()))
        os.chdir(task_root)
        sys.path[:] = [task_root] + [entry for entry in sys.path if os.path.abspath(entry or ".") != BOOTSTRAP_DIR]
        self.json_log_format = os.environ.get("AWS_LAMBDA_LOG_FORMAT", "").upper() == "JSON"
        self.encoder = encoder_for(os.environ.get("AWS_EXECUTION_ENV"))
        sys.meta_path.insert(0, self.hooks)
        self.hooks.watch("logging", self.on_logging_imported)
        self.hooks.watch("botocore.session", on_botocore_session_imported)

    def on_logging_imported(self, logging):
        lambda_logging = import_own("lambda_logging")
        log_level = lambda_logging.log_level_from_env(os.environ.get("AWS_LAMBDA_LOG_LEVEL"))
        lambda_logging.install_lambda_logging(
            logging, self.log_sink, self.current_request_id, self.json_log_format, log_level
        )

    def fail_init(self, error_result):
        import logging

        logging.warning(UNHANDLED_EXCEPTION_WARNING)
        self.log_sink.log(format_error_log(error_result, self.json_log_format, self.encoder.encode))
        self.log_sink.flush()
        self.channel.send({"type": "initError"}, self.encoder.encode(error_result).encode("utf-8"))
        # Not sys.exit: threads the module started must not keep a failed instance alive.
        os._exit(1)

    def invoke(self, header, body):
        request_id = header.get("requestId")
        self.start_request(request_id, header.get("traceId"))
        try:
            context = LambdaContext(
                request_id,
                parse_json_header(header.get("clientContext"), "Client Context"),
                parse_json_header(header.get("cognitoIdentity"), "Cognito Identity"),
                deadline_ms(header),
                header.get("functionArn"),
                self.log_sink,
                header.get("tenantId"),
            )
            event = unmarshal_event(body)
            payload = marshal_response(self.encoder, self.handler(event, context))
        except FaultException as e:
            self.fail_request(request_id, e.to_error(request_id))
        except Exception:
            self.fail_request(request_id, error_from_exception(sys.exc_info(), request_id))
        else:
            self.finish_request("response", request_id, payload)

    def start_request(self, request_id, trace_id):
        self.request_id = request_id
        self.log_sink.set_request_id(request_id)
        if trace_id is not None:
            os.environ["_X_AMZN_TRACE_ID"] = trace_id
        else:
            os.environ.pop("_X_AMZN_TRACE_ID", None)

    def fail_request(self, request_id, error_result):
        self.log_sink.log(format_error_log(error_result, self.json_log_format, self.encoder.encode))
        self.finish_request("error", request_id, self.encoder.encode(error_result).encode("utf-8"))

    def finish_request(self, frame_type, request_id, body):
        self.log_sink.flush()
        max_rss_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        self.channel.send({"type": frame_type, "requestId": request_id, "maxRssKb": max_rss_kb}, body)
        self.log_sink.set_request_id(None)


def deadline_ms(header):
    """An invoke sent along with init counts its timeout from when it starts, after init."""
    timeout_ms = header.get("timeoutMs")
    if isinstance(timeout_ms, (int, float)):
        return int(time.time() * 1000 + timeout_ms)
    return header.get("deadlineMs") or 0


def on_botocore_session_imported(botocore_session):
    import_own("botocore_endpoints").patch_botocore_endpoints(botocore_session)


def import_own(module_name):
    """A lazily loaded module of this package, bytecode-cached like the rest (see ../bootstrap.py)."""
    import importlib

    dont_write_bytecode = sys.dont_write_bytecode
    sys.dont_write_bytecode = False
    try:
        return importlib.import_module(__package__ + "." + module_name)
    finally:
        sys.dont_write_bytecode = dont_write_bytecode


def main():
    try:
        runtime = Runtime(Channel(CHANNEL_FD))
    except OSError as e:
        os.write(2, "flint bootstrap: no channel on fd {}: {}\n".format(CHANNEL_FD, e).encode())
        return 2
    runtime.capture_output()
    try:
        runtime.serve()
    except ChannelClosed:
        return 0
    finally:
        # sys.exit() in a handler ends the process: what it printed before that still reaches the log.
        flush_quietly(runtime.log_sink)
    return 0


def flush_quietly(log_sink):
    try:
        log_sink.flush()
    except Exception:
        pass
