/**
 * The one error mapper: each package's error class keeps its stable code and gets its 4xx
 * (or documented 5xx) status; anything else is a bare 500 SERVER_INTERNAL marked unknown (the
 * caller logs it), with no internals in the body.
 */
import { describe, it, expect } from 'vitest';
import { IsccError, ISCC_ERROR_CODES } from '@iscc-ts/core';
import { IsccIndexError, INDEX_ERROR_CODES } from '@iscc-ts/index';
import { HubError, HUB_ERROR_CODES } from '@iscc-ts/hub';
import { SdkError, SDK_ERROR_CODES } from '@iscc-ts/sdk';
import { toProblem, problemJson, ServerError, SERVER_ERROR_CODES, SERVER_ERROR_STATUS, SDK_STATUS } from './problem.ts';

describe('toProblem', () => {
  it('maps each package error to its status with its code', () => {
    const cases: [unknown, number, string][] = [
      [new IsccError(ISCC_ERROR_CODES.INVALID_CODE, 'bad'), 422, 'ISCC_INVALID_CODE'],
      [new IsccError(ISCC_ERROR_CODES.LIMIT_EXCEEDED, 'big'), 413, 'ISCC_LIMIT_EXCEEDED'],
      [new IsccIndexError(INDEX_ERROR_CODES.DUPLICATE_ID, 'dup'), 409, 'INDEX_DUPLICATE_ID'],
      [new HubError(HUB_ERROR_CODES.NOT_FOUND, 'none'), 404, 'HUB_NOT_FOUND'],
      [new SdkError(SDK_ERROR_CODES.DECODE, 'corrupt'), 422, 'ISCC_SDK_DECODE'],
      [new SdkError(SDK_ERROR_CODES.UNSUPPORTED_MEDIATYPE, 'what'), 415, 'ISCC_SDK_UNSUPPORTED_MEDIATYPE'],
      [new SdkError(SDK_ERROR_CODES.TOOL_MISSING, 'no ffmpeg'), 501, 'ISCC_SDK_TOOL_MISSING'],
      [new ServerError(SERVER_ERROR_CODES.RATE_LIMITED, 'slow down', { headers: { 'retry-after': '3' } }), 429, 'SERVER_RATE_LIMITED'],
    ];
    for (const [err, status, code] of cases) {
      const { problem, known } = toProblem(err);
      expect(known).toBe(true);
      expect(problem).toMatchObject({ status, code, type: 'about:blank', detail: (err as Error).message });
      expect(problem.title.length).toBeGreaterThan(3);
    }
    expect(toProblem(cases.at(-1)![0]).headers).toEqual({ 'retry-after': '3' });
  });

  it('has a status for every sdk and server code', () => {
    for (const c of Object.values(SDK_ERROR_CODES)) expect(SDK_STATUS[c], c).toBeGreaterThanOrEqual(400);
    for (const c of Object.values(SERVER_ERROR_CODES)) expect(SERVER_ERROR_STATUS[c], c).toBeGreaterThanOrEqual(400);
  });

  it('answers unknown errors with a bare 500 and marks them for logging', async () => {
    for (const err of [new Error('secret path /etc/x'), new TypeError('x is undefined'), 'a string', null, new HubError(HUB_ERROR_CODES.INVALID_ARGUMENT, 'programming error')]) {
      const { problem, known } = toProblem(err);
      expect(known).toBe(false);
      expect(problem).toMatchObject({ status: 500, code: 'SERVER_INTERNAL' });
      expect(JSON.stringify(problem)).not.toContain('secret');
    }
    const res = problemJson(toProblem(new Error('x')).problem);
    expect(res.status).toBe(500);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
  });
});
