"""The layout of a cache entry (:mod:`routes.cache`): a sealed pickle with its arrays beside it.

``MAGIC``, the tag (HMAC-SHA256 under the cache's key, of the entry key's digest and then of
everything after the tag), the pickle stream (protocol 5), the out-of-band buffers of its arrays
(each at a multiple of :data:`ALIGN` bytes), their table (offset and length of each, 64-bit
little-endian) and :data:`FOOTER` (where the stream ends, how many buffers).

An entry is mapped into memory copy-on-write, not read: the arrays of a loaded network are made
over the mapped buffers without a copy (at 10^6 links, most of an entry's 560 MB), and stay
writable without a write reaching the file. The stream, which is what unpickling runs, is copied
out of the mapping before the seal is checked, so the bytes checked are the bytes unpickled; the
buffers are plain data, checked by the same seal and read in place.
"""

from __future__ import annotations

import hashlib
import hmac
import mmap
import pickle
import struct
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any, BinaryIO

#: The first bytes of every entry; a new layout gets a new one.
MAGIC = b"corridors cache 5\n"
TAG_BYTES = hashlib.sha256().digest_size
#: The end of an entry: where its pickle stream ends, and how many buffers follow it.
FOOTER = struct.Struct("<QQ")
#: Each buffer starts at a multiple of this many bytes (the widest alignment numpy asks for).
ALIGN = 64


def seal(secret: bytes, k: str, payload: bytes) -> bytes:
    """The HMAC-SHA256 of an entry: its key's digest, then its payload."""
    mac = _mac(secret, k)
    mac.update(payload)
    return mac.digest()


def _mac(secret: bytes, k: str) -> hmac.HMAC:
    return hmac.new(secret, hashlib.sha256(k.encode()).digest(), digestmod=hashlib.sha256)


def write(fh: BinaryIO, secret: bytes, k: str, obj: Any) -> None:
    """Write ``(k, obj)`` as an entry to ``fh``, sealed on the way (a large network's entry is
    hundreds of megabytes: it is never held in memory whole)."""
    mac = _mac(secret, k)
    fh.write(MAGIC + bytes(TAG_BYTES))  # the seal's place, filled once the rest is written
    out = _Sealing(fh, mac)
    buffers: list[pickle.PickleBuffer] = []
    pickle.dump((k, obj), out, protocol=5, buffer_callback=buffers.append)
    stream_end, spans = out.at, []
    for buffer in buffers:
        with buffer.raw() as raw:
            out.write(bytes(-out.at % ALIGN))
            spans.append((out.at, raw.nbytes))
            out.write(raw)
    out.write(struct.pack(f"<{2 * len(spans)}Q", *(x for span in spans for x in span)))
    out.write(FOOTER.pack(stream_end, len(spans)))
    fh.seek(len(MAGIC))
    fh.write(mac.digest())


def read(
    fd: int, secret: bytes, k: str, quiet: Callable[[], AbstractContextManager]
) -> tuple[str, Any] | None:
    """The ``(key, object)`` of the entry open as ``fd``, or None (unsealed, cut, unreadable).
    ``quiet`` is entered while unpickling (the cache keeps the garbage collector off there)."""
    try:
        entry = memoryview(mmap.mmap(fd, 0, access=mmap.ACCESS_COPY))
    except (OSError, ValueError):  # an empty file cannot be mapped
        return None
    try:
        stream, buffers = _unsealed(secret, k, entry)
    except (ValueError, struct.error):  # a cut or malformed table
        return None
    if stream is None:
        return None
    try:
        with quiet():
            return pickle.loads(stream, buffers=buffers)
    except Exception:  # sealed by us yet unreadable (an old class layout): rebuild
        return None


def _unsealed(secret: bytes, k: str, entry: memoryview) -> tuple[bytes | None, list[memoryview]]:
    """The pickle stream of an entry and its buffers, once its seal holds (else None)."""
    head = len(MAGIC) + TAG_BYTES
    if bytes(entry[: len(MAGIC)]) != MAGIC or len(entry) < head + FOOTER.size:
        return None, []
    stream_end, count = FOOTER.unpack_from(entry, len(entry) - FOOTER.size)
    table_at = len(entry) - FOOTER.size - 16 * count
    if not head <= stream_end <= table_at:
        return None, []
    stream = bytes(entry[head:stream_end])
    mac = _mac(secret, k)
    mac.update(stream)
    mac.update(entry[stream_end:])
    if not hmac.compare_digest(bytes(entry[len(MAGIC) : head]), mac.digest()):
        return None, []
    table = struct.unpack_from(f"<{2 * count}Q", entry, table_at)
    spans = [(table[2 * i], table[2 * i + 1]) for i in range(count)]
    if any(not stream_end <= at <= at + n <= table_at for at, n in spans):
        return None, []
    return stream, [entry[at : at + n] for at, n in spans]


class _Sealing:
    """A file that passes what is written to it through a MAC on the way."""

    def __init__(self, fh: BinaryIO, mac: hmac.HMAC) -> None:
        self.fh, self.mac = fh, mac
        self.at = fh.tell()  # the offset in the file of the next byte written

    def write(self, data: bytes | memoryview) -> int:
        self.mac.update(data)
        self.at += len(data)
        return self.fh.write(data)
