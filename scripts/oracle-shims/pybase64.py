"""Minimal behavioural stand-in (written for iscc-ts) for the part of this library that the
iscc-core codec uses; only for scripts/gen-codec-reference.py. Not the real library."""
from base64 import urlsafe_b64encode, urlsafe_b64decode
