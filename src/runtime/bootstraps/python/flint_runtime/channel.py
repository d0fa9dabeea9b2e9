"""The private channel on fd 3: [u32 header length][u32 body length][JSON header][raw body], big-endian."""

import io
import json
import os
import _thread

PREFIX_SIZE = 8
READ_BUFFER_SIZE = 65536
# Larger bodies go out in their own write instead of being copied onto the header.
COPY_LIMIT = 65536


class ChannelClosed(Exception):
    """The parent closed the channel: there is nothing left to do."""


class Channel(object):
    def __init__(self, fd):
        os.set_blocking(fd, True)
        # Processes the handler spawns must not inherit the channel and write into it.
        os.set_inheritable(fd, False)
        self._fd = fd
        self._reader = io.open(fd, "rb", buffering=READ_BUFFER_SIZE, closefd=False)
        # Log frames may come from the handler's threads while the main thread answers.
        self._lock = _thread.RLock()

    def read_frame(self):
        prefix = self._read_exactly(PREFIX_SIZE)
        header_length = int.from_bytes(prefix[0:4], "big")
        body_length = int.from_bytes(prefix[4:8], "big")
        header = json.loads(self._read_exactly(header_length))
        body = self._read_exactly(body_length) if body_length else b""
        return header, body

    def send(self, header, body=b""):
        self.send_raw(json.dumps(header, ensure_ascii=False).encode("utf-8"), body)

    def send_raw(self, header_bytes, body=b""):
        prefix = len(header_bytes).to_bytes(4, "big") + len(body).to_bytes(4, "big")
        with self._lock:
            if len(body) > COPY_LIMIT:
                self._write_all(prefix + header_bytes)
                self._write_all(body)
            else:
                self._write_all(prefix + header_bytes + body)

    def _read_exactly(self, size):
        data = self._reader.read(size)
        if data is None or len(data) < size:
            raise ChannelClosed()
        return data

    def _write_all(self, data):
        view = memoryview(data)
        while view:
            written = os.write(self._fd, view)
            view = view[written:]
