"""Minimal behavioural stand-in (written for iscc-ts) for the part of this library that the
iscc-core codec uses; only for scripts/gen-codec-reference.py. Not the real library."""
BITCOIN_ALPHABET = b'123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz'
def scrub_input(v):
    if isinstance(v, str):
        v = v.encode('ascii')
    return v
def b58encode_int(i, default_one=True, alphabet=BITCOIN_ALPHABET):
    if not i and default_one:
        return alphabet[0:1]
    string = b""
    base = len(alphabet)
    while i:
        i, idx = divmod(i, base)
        string = alphabet[idx:idx+1] + string
    return string
def b58encode(v, alphabet=BITCOIN_ALPHABET):
    v = scrub_input(v)
    origlen = len(v)
    v = v.lstrip(b'\0')
    newlen = len(v)
    acc = int.from_bytes(v, byteorder='big')
    result = b58encode_int(acc, default_one=False, alphabet=alphabet)
    return alphabet[0:1] * (origlen - newlen) + result
def b58decode_int(v, alphabet=BITCOIN_ALPHABET):
    if b' ' not in alphabet:
        v = v.rstrip()
    v = scrub_input(v)
    m = {c: i for i, c in enumerate(alphabet)}
    decimal = 0
    base = len(alphabet)
    try:
        for char in v:
            decimal = decimal * base + m[char]
    except KeyError as e:
        raise ValueError("Invalid character {!r}".format(chr(e.args[0]))) from None
    return decimal
def b58decode(v, alphabet=BITCOIN_ALPHABET):
    v = v.rstrip()
    v = scrub_input(v)
    origlen = len(v)
    v = v.lstrip(alphabet[0:1])
    newlen = len(v)
    acc = b58decode_int(v, alphabet=alphabet)
    return b'\0' * (origlen - newlen) + acc.to_bytes((acc.bit_length() + 7) // 8, 'big')
