"""Columnar encoding of one asset's readings: the compacted blocks and keyframe segments.

A block holds readings in time order, at most one per instant. Times are delta-encoded; each metric is a
column whose kind is chosen from its values so that every value comes back with its exact type:

- ``b`` booleans, bit-packed;
- ``i`` integers, delta-encoded in the narrowest integer type that holds the deltas;
- ``d`` floats that are decimals with at most ``MAX_DECIMALS`` digits (``35.2``): scaled to integers and
  delta-encoded like ``i``; the scale is checked to give back the very same float;
- ``f`` other floats, as float64 with their bytes regrouped (all first bytes, then all second bytes...);
- ``j`` anything else (strings, nulls, a metric changing type): a JSON array of the values.

A row that lacks a metric is marked in a presence bitmap. The whole block is then compressed with
Zstandard (level 3), chosen by measurement (see docs/historian.md, "Compaction").
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from itertools import accumulate
from typing import Any

import msgspec
import numpy as np
import orjson

from hypervisor.historian.zstd import Zstd, ZstdError

MAX_DECIMALS = 4
ZSTD_LEVEL = 3
FORMAT = 1

_ZSTD = Zstd(level=ZSTD_LEVEL)
_PACK = msgspec.msgpack.Encoder()
_UNPACK = msgspec.msgpack.Decoder()
_INT_TYPES = (np.int8, np.int16, np.int32, np.int64)
_SCALES = [10.0 ** d for d in range(MAX_DECIMALS + 1)]
_NATIVE_FORMATS = {np.dtype(t).str: np.dtype(t).char for t in _INT_TYPES}


class BlockError(ValueError):
    """A stored block cannot be decoded (damaged file or unknown format)."""


@dataclass(slots=True)
class Column:
    """One metric of a block: ``present[i]`` says row ``i`` carries it; ``values`` holds the carried ones.

    ``values`` is a numpy array (bool, int64 or float64) for typed columns and a list for ``j`` columns.
    """

    name: str
    kind: str
    present: np.ndarray
    values: Any

    def as_float(self) -> tuple[np.ndarray, np.ndarray]:
        """(row mask, float64 values) of the numeric values: bools as 0/1, null as NaN, strings left out."""
        if self.kind != "j":
            return self.present, np.asarray(self.values, dtype=np.float64)
        numeric = [v is None or (isinstance(v, int | float)) for v in self.values]
        rows = np.flatnonzero(self.present)[np.asarray(numeric, dtype=bool)] if self.values else np.empty(0, int)
        mask = np.zeros(len(self.present), dtype=bool)
        mask[rows] = True
        kept = [np.nan if v is None else float(v) for v, ok in zip(self.values, numeric, strict=True) if ok]
        return mask, np.asarray(kept, dtype=np.float64)

    def python_values(self) -> list[Any]:
        """The carried values as Python objects of their original type."""
        if isinstance(self.values, list):
            return self.values
        return self.values.tolist()


def _narrow(deltas: np.ndarray) -> np.ndarray:
    if deltas.size == 0:
        return deltas.astype(np.int8)
    low, high = int(deltas.min()), int(deltas.max())
    for kind in _INT_TYPES:
        info = np.iinfo(kind)
        if info.min <= low and high <= info.max:
            return deltas.astype(kind)
    return deltas


def _int_payload(values: np.ndarray) -> list[Any]:
    """[first, dtype, delta bytes] of an int64 array."""
    if values.size == 0:
        return [0, "i1", b""]
    deltas = _narrow(np.diff(values))
    return [int(values[0]), deltas.dtype.str, deltas.tobytes()]


def _int_values(payload: list[Any], count: int) -> np.ndarray:
    if count == 0:
        return np.empty(0, dtype=np.int64)
    first, dtype, raw = payload
    out = np.empty(count, dtype=np.int64)
    out[0] = first
    np.cumsum(np.frombuffer(raw, dtype=np.dtype(dtype)), dtype=np.int64, out=out[1:])
    out[1:] += first
    return out


def decimals_of(values: np.ndarray) -> int | None:
    """Smallest number of decimals that gives back every value of a float array exactly, or None."""
    return _decimals(np.asarray(values, dtype=np.float64))


def _decimals(values: np.ndarray) -> int | None:
    """Smallest number of decimals that gives back every value exactly, or None."""
    if not np.isfinite(values).all() or values.size == 0:
        return None if values.size else 0
    for digits, scale in enumerate(_SCALES):
        scaled = np.round(values * scale)
        if np.abs(scaled).max(initial=0.0) >= 2**53:
            return None
        if np.array_equal(scaled / scale, values):
            return digits
    return None


def encode_array(values: np.ndarray, decimals: int | None = None) -> tuple[str, list[Any]]:
    """Kind and payload of a typed column (bool, integer or float numpy array).

    ``decimals``, when known, is a number of decimals that gives back every value exactly (found once
    for many blocks by :func:`decimals_of`), sparing the search.
    """
    if values.dtype == np.bool_:
        return "b", [len(values), np.packbits(values).tobytes()]
    if values.dtype.kind in "iu":
        return "i", _int_payload(values.astype(np.int64))
    values = values.astype(np.float64)
    digits = decimals if decimals is not None else _decimals(values)
    if digits is not None:
        return "d", [digits, *_int_payload(np.round(values * _SCALES[digits]).astype(np.int64))]
    shuffled = values.view(np.uint8).reshape(-1, 8).T.copy()
    return "f", [shuffled.tobytes()]


def decode_array(kind: str, payload: list[Any], count: int) -> Any:
    if kind == "b":
        return np.unpackbits(np.frombuffer(payload[1], dtype=np.uint8), count=count).view(bool)
    if kind == "i":
        return _int_values(payload, count)
    if kind == "d":
        return _int_values(payload[1:], count) / _SCALES[payload[0]]
    if kind == "f":
        return np.frombuffer(payload[0], dtype=np.uint8).reshape(8, -1).T.copy().view(np.float64).ravel()
    if kind == "j":
        return orjson.loads(payload[0])
    raise BlockError(f"unknown column kind {kind!r}")


def _typed(values: list[Any]) -> np.ndarray | None:
    """A numpy array of the values if they all share bool, int or float as their exact type."""
    kinds = {type(v) for v in values}
    if kinds == {bool}:
        return np.array(values, dtype=bool)
    if kinds == {int}:
        try:
            return np.array(values, dtype=np.int64)
        except OverflowError:
            return None
    if kinds == {float}:
        return np.array(values, dtype=np.float64)
    return None


def encode_block(ts_ms: np.ndarray, columns: Mapping[str, tuple[np.ndarray | None, Any]],
                 decimals: Mapping[str, int | None] | None = None) -> bytes:
    """A compressed block from times and columns ``name -> (presence mask or None for all, values)``.

    ``values`` is a typed numpy array (encoded as ``b``/``i``/``d``/``f``) or a list (``j``), holding
    one value per present row. ``decimals`` may give float columns' decimals (see :func:`encode_array`).
    """
    ts = np.asarray(ts_ms, dtype=np.int64)
    encoded: list[Any] = []
    for name, (present, values) in columns.items():
        bits = None if present is None else np.packbits(present).tobytes()
        if isinstance(values, np.ndarray):
            kind, payload = encode_array(values, decimals.get(name) if decimals else None)
        else:
            kind, payload = "j", [orjson.dumps(list(values))]
        encoded.append([name, kind, bits, payload])
    body = _PACK.encode([FORMAT, len(ts), _int_payload(ts), encoded])
    return _ZSTD.compress(body)


def encode_rows(ts_ms: Sequence[int], rows: Sequence[Mapping[str, Any]]) -> bytes:
    """A compressed block from readings ``(ts_ms[i], rows[i])`` already in time order, one per instant."""
    names: dict[str, None] = {}
    for row in rows:
        names.update(dict.fromkeys(row))
    columns: dict[str, tuple[np.ndarray | None, Any]] = {}
    for name in names:
        present_list = [name in row for row in rows]
        values = [row[name] for row in rows if name in row]
        present = None if all(present_list) else np.array(present_list, dtype=bool)
        typed = _typed(values)
        columns[name] = (present, typed if typed is not None else values)
    return encode_block(np.asarray(ts_ms, dtype=np.int64), columns)


def _unpacked(blob: bytes) -> tuple[int, list[Any], list[Any]]:
    """Row count, time payload and encoded columns of a stored block."""
    try:
        version, count, ts_payload, encoded = _UNPACK.decode(_ZSTD.decompress(blob))
    except (ZstdError, msgspec.DecodeError, ValueError, TypeError) as exc:
        raise BlockError(f"damaged telemetry block: {exc}") from exc
    if version != FORMAT:
        raise BlockError(f"telemetry block format {version} is unknown to this historian")
    return count, ts_payload, encoded


def decode_block(blob: bytes) -> tuple[np.ndarray, list[Column]]:
    """Times (int64) and columns of a block written by :func:`encode_block`."""
    count, ts_payload, encoded = _unpacked(blob)
    ts = _int_values(ts_payload, count)
    columns = []
    for name, kind, bits, payload in encoded:
        if bits is None:
            present = np.ones(count, dtype=bool)
        else:
            present = np.unpackbits(np.frombuffer(bits, dtype=np.uint8), count=count).view(bool)
        columns.append(Column(name, kind, present, decode_array(kind, payload, int(np.count_nonzero(present)))))
    return ts, columns


def block_rows(ts: np.ndarray, columns: Sequence[Column]) -> list[tuple[int, dict[str, Any]]]:
    """The readings of a decoded block as ``(ts_ms, metrics)`` with the original Python types."""
    rows: list[dict[str, Any]] = [{} for _ in range(len(ts))]
    for column in columns:
        positions = np.flatnonzero(column.present).tolist()
        for position, value in zip(positions, column.python_values(), strict=True):
            rows[position][column.name] = value
    return list(zip(ts.tolist(), rows, strict=True))


def slice_block(blob: bytes, since_ms: int, until_ms: int) -> tuple[int, int, int, bytes] | None:
    """The block's readings with ``since_ms <= ts_ms < until_ms`` as ``(first_ms, last_ms, readings, block)``,
    or None when it has none; a block wholly inside is returned as stored.

    The kept run of every column is copied in its stored encoding (the same integer width, the same
    decimals), so each value comes back exactly as in ``blob`` without being searched or narrowed again.
    """
    count, ts_payload, encoded = _unpacked(blob)
    ts = _int_list(ts_payload, count)
    start, stop = bisect_left(ts, since_ms), bisect_left(ts, until_ms)
    if start == stop:
        return None
    if start == 0 and stop == count:
        return int(ts[0]), int(ts[-1]), count, blob
    columns = [[name, kind, *_slice_column(kind, bits, payload, count, start, stop)]
               for name, kind, bits, payload in encoded]
    body = _PACK.encode([FORMAT, stop - start, _slice_ints(ts_payload, start, stop), columns])
    return int(ts[start]), int(ts[stop - 1]), stop - start, _ZSTD.compress(body)


def _slice_column(kind: str, bits: bytes | None, payload: list[Any], count: int, start: int,
                  stop: int) -> tuple[bytes | None, list[Any]]:
    """Presence bits and payload of rows ``start:stop`` of a stored column."""
    low, high = start, stop
    if bits is not None:
        low = _bit_run(bits, 0, start).bit_count()
        kept = _bit_run(bits, start, stop)
        high = low + kept.bit_count()
        bits = None if high - low == stop - start else _packed(kept, stop - start)
    if kind == "i":
        return bits, _slice_ints(payload, low, high)
    if kind == "d":
        return bits, [payload[0], *_slice_ints(payload[1:], low, high)]
    if kind == "f":
        grouped = np.frombuffer(payload[0], dtype=np.uint8).reshape(8, -1)
        return bits, [grouped[:, low:high].tobytes()]
    if kind == "b":
        return bits, [high - low, _packed(_bit_run(payload[1], low, high), high - low)]
    if kind == "j":
        return bits, [orjson.dumps(orjson.loads(payload[0])[low:high])]
    raise BlockError(f"unknown column kind {kind!r}")


def _bit_run(packed: bytes, start: int, stop: int) -> int:
    """Bits ``start:stop`` of :func:`numpy.packbits` bytes as an integer whose highest bit is the first."""
    return (int.from_bytes(packed, "big") >> (len(packed) * 8 - stop)) & ((1 << (stop - start)) - 1)


def _packed(run: int, count: int) -> bytes:
    """The :func:`numpy.packbits` bytes of ``count`` bits held by ``run`` (its highest bit first)."""
    pad = -count % 8
    return (run << pad).to_bytes((count + pad) // 8, "big")


def _slice_ints(payload: list[Any], low: int, high: int) -> list[Any]:
    """The ``[first, dtype, delta bytes]`` payload of values ``low:high`` of a delta-encoded payload."""
    if high == low:
        return [0, "i1", b""]
    first, dtype, raw = payload
    width = np.dtype(dtype).itemsize
    return [first + _sum_deltas(raw, dtype, low), dtype, raw[low * width:(high - 1) * width]]


def _sum_deltas(raw: bytes, dtype: str, count: int) -> int:
    """Sum of the first ``count`` deltas (a block's few: a Python sum is quicker than a numpy call)."""
    native = _NATIVE_FORMATS.get(dtype)
    if native is None:
        return int(np.frombuffer(raw, dtype=np.dtype(dtype), count=count).sum(dtype=np.int64))
    return sum(memoryview(raw).cast(native)[:count])


def _int_list(payload: list[Any], count: int) -> list[int]:
    """The values of a delta-encoded payload as a list, like :func:`_int_values`."""
    native = _NATIVE_FORMATS.get(payload[1])
    if native is None or count == 0:
        return _int_values(payload, count).tolist()
    return list(accumulate(memoryview(payload[2]).cast(native), initial=payload[0]))
