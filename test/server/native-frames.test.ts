import { describe, expect, it } from 'vitest';
import { isCursor, sendError } from '../../src/server/native-frames.js';
import { fakeClient } from './fakes.js';

describe('native frame helpers', () => {
  it('takes only non-negative safe integers as cursors', () => {
    expect([0, 1, Number.MAX_SAFE_INTEGER].every(isCursor)).toBe(true);
    expect([-1, 1.5, Number.MAX_SAFE_INTEGER + 1, '1', null, undefined, NaN].some(isCursor)).toBe(false);
  });

  it('echoes a valid frame id and the channel in an error frame, and nothing invalid', () => {
    const client = fakeClient();
    sendError(client, 'bad_request', 'no', 7, 'prices');
    sendError(client, 'bad_request', 'no', 'seven');
    expect(client.frames()).toEqual([
      { op: 'error', id: 7, channel: 'prices', code: 'bad_request', message: 'no' },
      { op: 'error', code: 'bad_request', message: 'no' },
    ]);
  });
});
