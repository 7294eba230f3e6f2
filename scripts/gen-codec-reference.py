"""Differential vectors for the iscc-ts codec family (codec, models, iscc_code, iscc_id,
similarity), computed by the iscc-core 1.3.0 reference on seeded random and mutated inputs.

iscc-core's own dependencies are not installable here, so this script loads the reference
modules it needs (constants, codec, models, iscc_code, iscc_id, code_flake, simhash, utils)
from an unpacked source tree next to small behavioural stand-ins for bitarray, base58,
uvarint and pybase64 (scripts/oracle-shims/; blake3 and jcs are unused stubs).

Usage: ISCC_CORE_SRC=/path/to/iscc-core/iscc_core python3 scripts/gen-codec-reference.py \
         > packages/core/src/__fixtures__/codec-reference.json
"""
import json, os, random, shutil, sys, tempfile

_src = os.environ.get("ISCC_CORE_SRC", "/tmp/iscc-core-src/iscc_core")
_tmp = tempfile.mkdtemp()
os.mkdir(os.path.join(_tmp, "iscc_core"))
for m in ["constants", "codec", "models", "iscc_code", "iscc_id", "code_flake", "simhash", "utils"]:
    shutil.copy(os.path.join(_src, m + ".py"), os.path.join(_tmp, "iscc_core", m + ".py"))
with open(os.path.join(_tmp, "iscc_core", "__init__.py"), "w") as f:
    f.write("""__version__ = "1.3.0"
class _Opts:
    flake_bits = 64
core_opts = _Opts()
from iscc_core.constants import *
from iscc_core.simhash import *
from iscc_core.iscc_code import *
from iscc_core.iscc_id import *
from iscc_core.code_flake import *
from iscc_core.codec import *
from iscc_core.utils import *
from iscc_core.models import *
""")
sys.path[:0] = [_tmp, os.path.join(os.path.dirname(os.path.abspath(__file__)), "oracle-shims")]
import iscc_core as ic

R = random.Random(20261123)
ALPH = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"

def enc(v):
    if isinstance(v, bool) or v is None:
        return v
    if isinstance(v, int):
        return v if abs(v) < 2**53 else {"int": str(v)}
    if isinstance(v, float):
        return v
    if isinstance(v, (bytes, bytearray)):
        return {"hex": bytes(v).hex()}
    if isinstance(v, str):
        return v
    if isinstance(v, (list, tuple)):
        return [enc(x) for x in v]
    if isinstance(v, dict):
        return {k: enc(x) for k, x in v.items()}
    raise TypeError(type(v))

def run(fn, *args):
    try:
        return {"ok": enc(fn(*args))}
    except Exception as e:
        return {"err": type(e).__name__, "msg": str(e)[:80]}

def rnd_code():
    mt = R.choice([0, 1, 2, 3, 4, 5, 6, 7])
    if mt == 5:
        bits = R.choice([128, 192, 256, 320])
        if R.random() < 0.15:
            return ic.Code.rnd(5, ic.ST_ISCC.WIDE)
        return ic.Code.rnd(5, None, bits)
    if mt == 6:
        if R.random() < 0.5:
            return ic.Code(ic.gen_iscc_id_v1(R.getrandbits(52), R.getrandbits(12), R.choice([0, 1]))["iscc"])
        return ic.Code.rnd(6, bits=R.choice([64, 72, 80]))
    st = R.choice([0, 1, 2, 3, 4]) if mt in (1, 2) else 0
    return ic.Code.rnd(mt, st, R.choice([32, 64, 64, 96, 128, 160, 192, 224, 256]))

def mutate(s):
    s = list(s)
    for _ in range(R.choice([1, 1, 2, 3])):
        op = R.random()
        pos = R.randrange(len(s) + 1)
        if op < 0.3 and s:
            s[min(pos, len(s) - 1)] = R.choice(ALPH + "-:= 01a89f" + "\u00df\x85\u3000")
        elif op < 0.55 and s:
            del s[min(pos, len(s) - 1)]
        elif op < 0.8:
            s.insert(pos, R.choice(ALPH + "-:= =\t"))
        else:
            s = s[: R.randrange(len(s) + 1)]
    return "".join(s)

def variants(code):
    c = code.code
    out = [c, code.uri, c.lower(), "iscc:" + c.lower(), "  ISCC: " + c + " ", code.mf_base16, code.mf_base32,
           code.mf_base32hex, code.mf_base58btc, code.mf_base64url, "ISCC:" + code.mf_base32hex]
    if len(c) > 8:
        out.append(c[:8] + "-" + c[8:])
    return out

def strings():
    out = []
    for _ in range(75):
        code = rnd_code()
        v = variants(code)
        out.append(R.choice(v))
        out.append(mutate(R.choice(v)))
    for _ in range(40):  # sequences of units
        units = [rnd_code() for _ in range(R.choice([2, 3, 4]))]
        s = "".join(u.code for u in units) if R.random() < 0.5 else "-".join(u.code for u in units)
        out.append(s)
        out.append(mutate(s))
    for _ in range(60):  # composites from real units
        units = [ic.Code.rnd(m, s, b) for m, s, b in [(0, 0, 64), (2, R.choice([0, 1]), 64), (3, 0, 128), (4, 0, 128)]]
        picked = [u.code for u in units if R.random() < 0.6 or u.maintype in (3, 4)]
        try:
            out.append(ic.gen_iscc_code_v0(picked, wide=R.random() < 0.3)["iscc"])
        except Exception:
            pass
    for _ in range(70):  # random junk
        n = R.choice([0, 1, 2, 3, 5, 8, 10, 16, 17, 20, 30])
        out.append("".join(R.choice(ALPH + ALPH.lower() + "-:= 019ufbvz\u00df\x1c\x85\ufeff\u3000\t") for _ in range(n)))
    return out

def main():
    cases = []
    strs = strings()
    for s in strs:
        cases.append({"fn": "isccClean", "args": [s], "py": run(ic.iscc_clean, s)})
        cases.append({"fn": "normalizeMultiformat", "args": [s], "py": run(ic.normalize_multiformat, s)})
        cases.append({"fn": "isccDecompose", "args": [s], "py": run(ic.iscc_decompose, s)})
        cases.append({"fn": "isccNormalize", "args": [s], "py": run(ic.iscc_normalize, s)})
        cases.append({"fn": "isccDecode", "args": [s], "py": run(ic.iscc_decode, s)})
        cases.append({"fn": "isccExplain", "args": [s], "py": run(ic.iscc_explain, s)})
        cases.append({"fn": "isccTypeId", "args": [s], "py": run(ic.iscc_type_id, s)})
        cases.append({"fn": "isccValidate", "args": [s, False], "py": run(ic.iscc_validate, s, False)})
        cases.append({"fn": "isccValidate", "args": [s, True], "py": run(ic.iscc_validate, s, True)})
        cases.append({"fn": "isccValidateMf", "args": [s, False], "py": run(ic.iscc_validate_mf, s, False)})
        cases.append({"fn": "decodeBase32", "args": [s], "py": run(ic.decode_base32, s)})
        cases.append({"fn": "decodeBase32hex", "args": [s], "py": run(ic.decode_base32hex, s)})
        cases.append({"fn": "decodeBase64", "args": [s], "py": run(ic.decode_base64, s)})
        cases.append({"fn": "isccIdIncr", "args": [s], "py": run(ic.iscc_id_incr, s)})
        cases.append({"fn": "algSimhashFromIsccId", "args": [s, "wallet"], "py": run(ic.alg_simhash_from_iscc_id, s, "wallet")})
        cases.append({"fn": "genIsccIdV0", "args": [s, 1, "w", 0], "py": run(ic.gen_iscc_id_v0, s, 1, "w", 0)})
        def props(x):
            c = ic.Code(x)
            return [c.code, c.uri, c.hex, c.base32hex, c.hash_hex, c.hash_base32, c.hash_bits, c.maintype, c.subtype,
                    c.version, c.length, c.mf_base58btc, c.mf_base64url, c.type_id, c.explain]
        cases.append({"fn": "codeProps", "args": [s], "py": run(props, s)})
    for _ in range(250):
        a, b = R.choice(strs), R.choice(strs)
        if R.random() < 0.3:
            b = a
        elif R.random() < 0.5:
            x, y = ic.Code.rnd(5, None, 256), ic.Code.rnd(5, None, 320)
            a, b = R.choice([x.code, y.code]), R.choice([x.code, y.code, mutate(y.code)])
        for fn, name in [(ic.iscc_similarity, "isccSimilarity"), (ic.iscc_distance, "isccDistance"),
                         (ic.iscc_compare, "isccCompare"), (ic.iscc_nph_compare, "isccNphCompare")]:
            cases.append({"fn": name, "args": [a, b], "py": run(fn, a, b)})
    for _ in range(300):
        n = R.choice([0, 1, 2, 3, 4, 5, 8, 10, 12, 20])
        data = bytes(R.getrandbits(8) for _ in range(n))
        if R.random() < 0.5 and n:
            data = bytes([R.choice([0x00, 0x01, 0x10, 0x50, 0x60, 0x61, 0x71, 0x80, 0xc0, 0xe0, 0xf0, 0xff])]) + data[1:]
        cases.append({"fn": "decodeHeader", "args": [{"hex": data.hex()}], "py": run(ic.decode_header, data)})
        cases.append({"fn": "codeBytesProps", "args": [{"hex": data.hex()}], "py": run(lambda d: [ic.Code(d).code, ic.Code(d).hash_hex], data)})
    for _ in range(300):
        args = [R.choice([-1, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 71, 72, 583, 584, 4679, 4680]) for _ in range(4)]
        bits = R.choice([0, 8, 31, 32, 48, 64, 65, 72, 80, 88, 96, 100, 128, 256, 288, 320, 2336, 149760])
        dg = bytes(R.getrandbits(8) for _ in range(R.choice([0, 4, 8, 16, 40])))
        cases.append({"fn": "encodeComponent", "args": [args[0] % 9, args[1], args[2], bits, {"hex": dg.hex()}],
                      "py": run(ic.encode_component, args[0] % 9, args[1], args[2], bits, dg)})
        cases.append({"fn": "encodeHeader", "args": args, "py": run(ic.encode_header, *args)})
        cases.append({"fn": "encodeLength", "args": [args[0] % 9, bits], "py": run(ic.encode_length, args[0] % 9, bits)})
        sub = R.choice([None, 0, 7])
        cases.append({"fn": "decodeLength", "args": [args[0] % 9, args[1] % 12, sub], "py": run(ic.decode_length, args[0] % 9, args[1] % 12, sub)})
    for _ in range(300):
        units = [rnd_code().code for _ in range(R.choice([1, 2, 3, 4, 5]))]
        if R.random() < 0.8:
            units = [ic.Code.rnd(m, s, b).code for m, s, b in [(0, 0, 64), (1, R.choice([0, 1]), 64), (2, R.choice([0, 1]), 64), (3, 0, R.choice([32, 64, 128])), (4, 0, R.choice([64, 128, 256]))] if R.random() < 0.7]
        wide = R.random() < 0.4
        cases.append({"fn": "genIsccCodeV0", "args": [units, wide], "py": run(ic.gen_iscc_code_v0, units, wide)})
    for seed in range(12):
        def seq(seed=seed):
            ic.Code.rgen = random.Random(seed)
            out = []
            for mt, st, bits in [(None, None, 64), (5, None, 256), (5, None, 320), (5, None, 192), (5, None, 128), (5, 7, 64),
                                 (2, None, 128), (6, None, 64), (0, None, 256), (1, 3, 96), (7, None, 64), (3, None, 0)]:
                try:
                    out.append(ic.Code.rnd(mt, st, bits).code)
                except Exception as e:
                    out.append("error")
            return out
        cases.append({"fn": "rndSequence", "args": [seed], "py": run(seq)})
    json.dump({"_generator": "iscc-core 1.3.0 codec/models/iscc_code/iscc_id/utils via oracle shims", "cases": cases},
              sys.stdout, ensure_ascii=True, separators=(",", ":"))

main()
