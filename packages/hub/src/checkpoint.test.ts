/**
 * Signed notes byte-exact with golang.org/x/mod/sumdb/note (its PeterNeumann test key and
 * signature), checkpoint bodies, verification against name/key, tampering refused.
 */
import { describe, it, expect } from 'vitest';
import { checkpointBody, noteKeyId, parseCheckpoint, signCheckpoint, verifierKey, verifyCheckpoint } from './checkpoint.ts';
import { privateKeyFromSeed, ed25519Sign } from './ed25519.ts';
import { EMPTY_ROOT, sha256 } from './merkle.ts';

// golang.org/x/mod/sumdb/note note_test.go: the key pair and the signed text (public test data).
const GO_SEED = Buffer.from('AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz', 'base64').subarray(1);
const GO_PUB = Buffer.from('ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW', 'base64').subarray(1);
const GO_TEXT = "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n";
const GO_SIG = 'x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=';

describe('signed notes', () => {
  it('reproduce the Go reference key id, verifier key and signature', () => {
    expect(noteKeyId('PeterNeumann', GO_PUB).toString(16)).toBe('c74f20a3');
    expect(verifierKey('PeterNeumann', GO_PUB)).toBe('PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW');
    const sig = ed25519Sign(privateKeyFromSeed(GO_SEED), new TextEncoder().encode(GO_TEXT));
    expect(Buffer.concat([Buffer.from('c74f20a3', 'hex'), sig]).toString('base64')).toBe(GO_SIG);
  });
});

describe('checkpoints', () => {
  const key = privateKeyFromSeed(GO_SEED);
  const root = sha256(new TextEncoder().encode('root'));

  it('have the three-line body, a blank line and one em-dash signature line', () => {
    const text = signCheckpoint('example.com/hub/log', 42, root, key, GO_PUB);
    expect(text.startsWith(`example.com/hub/log\n42\n${Buffer.from(root).toString('base64')}\n\n\u2014 example.com/hub/log `)).toBe(true);
    expect(text.endsWith('\n')).toBe(true);
    expect(checkpointBody('o', 0, EMPTY_ROOT)).toBe('o\n0\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n');
    const cp = verifyCheckpoint(text, 'example.com/hub/log', GO_PUB)!;
    expect(cp.size).toBe(42);
    expect(Buffer.from(cp.root).equals(Buffer.from(root))).toBe(true);
  });

  it('refuse other names, other keys, edited bodies and malformed input', () => {
    const text = signCheckpoint('example.com/hub/log', 42, root, key, GO_PUB);
    expect(verifyCheckpoint(text, 'example.org/hub/log', GO_PUB)).toBeNull();
    const other = new Uint8Array(GO_PUB);
    other[0]! ^= 1;
    expect(verifyCheckpoint(text, 'example.com/hub/log', other)).toBeNull();
    expect(verifyCheckpoint(text.replace('\n42\n', '\n43\n'), 'example.com/hub/log', GO_PUB)).toBeNull();
    const sigStart = text.lastIndexOf(' ') + 5;
    const flipped = text.slice(0, sigStart) + (text[sigStart] === 'A' ? 'B' : 'A') + text.slice(sigStart + 1);
    expect(verifyCheckpoint(flipped, 'example.com/hub/log', GO_PUB)).toBeNull();
    for (const bad of ['', 'a\n', 'a\n01\nAAAA\n\n', `a\n-1\n${Buffer.from(root).toString('base64')}\n\n`, 'a\n1\nnot base64!\n\n', 'a\n1\nAAAA\n\n']) {
      expect(parseCheckpoint(bad)).toBeNull();
      expect(verifyCheckpoint(bad, 'a', GO_PUB)).toBeNull();
    }
  });
});
