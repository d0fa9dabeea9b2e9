"""Function output (stdout, stderr, runtime messages) as `log` frames on the channel."""

import io
import json
import _thread

# A partial line longer than this is sent without waiting for its newline.
MAX_PENDING = 65536


class LogSink(object):
    """Sends output one complete line (or one logging record) per frame.

    stdout and stderr share one buffer so Flint sees output in the order it was written; a pending
    partial line goes out before any logging record, response or error.
    """

    def __init__(self, channel):
        self._channel = channel
        self._lock = _thread.RLock()
        self._pending = ""
        self._header = self._make_header(None)

    def set_request_id(self, request_id):
        with self._lock:
            self._flush_locked()
            self._header = self._make_header(request_id)

    def write(self, text):
        with self._lock:
            text = self._pending + text
            if len(text) > MAX_PENDING:
                self._pending = ""
                self._send(text)
            elif "\n" in text:
                cut = text.rfind("\n") + 1
                self._pending = text[cut:]
                self._send(text[:cut])
            else:
                self._pending = text

    def log(self, record_text):
        """A complete record (a logging line, a runtime message): one frame."""
        with self._lock:
            text = self._pending + record_text
            self._pending = ""
            self._send(text)

    def flush(self):
        with self._lock:
            self._flush_locked()

    def _flush_locked(self):
        if self._pending:
            text = self._pending
            self._pending = ""
            self._send(text)

    def _send(self, text):
        self._channel.send_raw(self._header, text.encode("utf-8", "backslashreplace"))

    @staticmethod
    def _make_header(request_id):
        return json.dumps({"type": "log", "requestId": request_id}).encode("utf-8")


class LogWriter(io.TextIOBase):
    """Stands in for sys.stdout / sys.stderr; the original fd stays reachable through fileno()."""

    encoding = "utf-8"
    errors = "backslashreplace"
    line_buffering = True

    def __init__(self, sink, fd, name):
        io.TextIOBase.__init__(self)
        self._sink = sink
        self._fd = fd
        self.name = name
        self.buffer = BinaryLogWriter(self)

    def write(self, text):
        if not isinstance(text, str):
            raise TypeError("write() argument must be str, not " + type(text).__name__)
        self._sink.write(text)
        return len(text)

    def flush(self):
        self._sink.flush()

    def fileno(self):
        return self._fd

    def isatty(self):
        return False

    def writable(self):
        return True


class BinaryLogWriter(io.RawIOBase):
    """sys.stdout.buffer, for code that writes bytes."""

    def __init__(self, text_writer):
        io.RawIOBase.__init__(self)
        self._text = text_writer

    def write(self, data):
        self._text.write(bytes(data).decode("utf-8", "replace"))
        return len(data)

    def flush(self):
        self._text.flush()

    def fileno(self):
        return self._text.fileno()

    def writable(self):
        return True
