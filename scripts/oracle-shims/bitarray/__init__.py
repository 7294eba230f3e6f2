"""Minimal behavioural stand-in (written for iscc-ts) for the part of this library that the
iscc-core codec uses; only for scripts/gen-codec-reference.py. Not the real library."""
class bitarray:
    def __init__(self, init=None):
        if init is None:
            self.b = []
        elif isinstance(init, str):
            assert set(init) <= {'0', '1'}
            self.b = [int(c) for c in init]
        elif isinstance(init, bitarray):
            self.b = list(init.b)
        else:
            self.b = [1 if x else 0 for x in init]
    def frombytes(self, data):
        for byte in bytes(data):
            self.b.extend((byte >> (7 - i)) & 1 for i in range(8))
    def tobytes(self):
        b = self.b + [0] * ((-len(self.b)) % 8)
        return bytes(int(''.join(map(str, b[i:i+8])), 2) for i in range(0, len(b), 8))
    def fill(self):
        n = (-len(self.b)) % 8
        self.b += [0] * n
        return n
    def __len__(self):
        return len(self.b)
    def __getitem__(self, k):
        if isinstance(k, slice):
            r = bitarray(); r.b = self.b[k]; return r
        return self.b[k]
    def __eq__(self, o):
        return isinstance(o, bitarray) and self.b == o.b
    def __add__(self, o):
        r = bitarray(); r.b = self.b + o.b; return r
    def __iadd__(self, o):
        self.b = self.b + o.b; return self
    def to01(self):
        return ''.join(map(str, self.b))
    def tolist(self):
        return list(self.b)
    def __repr__(self):
        return f"bitarray('{self.to01()}')"
    __hash__ = None
class frozenbitarray(bitarray):
    def __hash__(self):
        return hash(tuple(self.b))
