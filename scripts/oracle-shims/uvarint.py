"""Minimal behavioural stand-in (written for iscc-ts) for the part of this library that the
iscc-core codec uses; only for scripts/gen-codec-reference.py. Not the real library."""
from typing import NamedTuple
def encode(integer):
    buffer = bytearray()
    while integer >= 0b1000_0000:
        buffer.append((integer & 0xff) | 0b1000_0000)
        integer >>= 7
    buffer.append(integer & 0xff)
    return bytes(buffer)
class Decoded(NamedTuple):
    integer: int
    bytes_read: int
LIMIT = 9
def decode(buffer, limit=LIMIT):
    if not buffer:
        raise ValueError('no input bytes to decode')
    integer = 0
    position = 0
    for i, byte in enumerate(buffer):
        if byte < 0b1000_0000:
            break
        integer |= (byte & 0b0111_1111) << position
        position += 7
        if position / 7 >= limit:
            raise OverflowError('integer > {} bytes'.format(limit))
    return Decoded(integer | (byte << position), i + 1)
