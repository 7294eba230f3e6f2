"""Minimal behavioural stand-in (written for iscc-ts) for the part of this library that the
iscc-core codec uses; only for scripts/gen-codec-reference.py. Not the real library."""
from bitarray import bitarray
def int2ba(n, length):
    if not isinstance(n, int):
        raise TypeError('int expected')
    if n < 0 or n >= 1 << length:
        raise OverflowError('value out of range')
    return bitarray(format(n, '0%db' % length))
def ba2int(a, signed=False):
    if not len(a):
        raise ValueError('non-empty bitarray expected')
    return int(a.to01(), 2)
def ba2hex(a):
    if len(a) % 4:
        raise ValueError('bitarray length not multiple of 4')
    return ''.join('%x' % int(a.to01()[i:i+4], 2) for i in range(0, len(a), 4))
def count_xor(a, b):
    if len(a) != len(b):
        raise ValueError('bitarrays of equal length expected')
    return sum(x ^ y for x, y in zip(a.b, b.b))
