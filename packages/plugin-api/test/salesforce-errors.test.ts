import { describe, expect, it } from 'vitest';
import {
  ToolError,
  isToolError,
  salesforceCall,
  salesforceError as mapFailure,
  toToolError,
} from '../src/index.js';

function salesforceError(errorCode: string, message: string) {
  return Object.assign(new Error(message), { errorCode });
}

describe('toToolError', () => {
  it("keeps Salesforce's code and message, with a common hint", () => {
    const error = toToolError(
      salesforceError('INVALID_SESSION_ID', 'Session expired or invalid'),
    ) as ToolError;
    expect(error).toBeInstanceOf(ToolError);
    expect(error.message).toBe('INVALID_SESSION_ID: Session expired or invalid');
    expect(error.hint).toMatch(/sf org login web/);
  });

  it('prefers the caller hints, and reads codes from plain wrapped errors', () => {
    const error = toToolError(new Error('ALREADY_IN_PROCESS: a run is going'), {
      hints: { ALREADY_IN_PROCESS: 'wait' },
    }) as ToolError;
    expect([error.message, error.hint]).toEqual(['ALREADY_IN_PROCESS: a run is going', 'wait']);
  });

  it('passes ToolErrors and unexpected errors through', () => {
    const tool = new ToolError('x');
    expect(toToolError(tool)).toBe(tool);
    const bug = new TypeError('undefined is not a function');
    expect(toToolError(bug)).toBe(bug);
  });
});

describe('salesforceCall', () => {
  it('rethrows a failure as a ToolError', async () => {
    await expect(
      salesforceCall(() => Promise.reject(salesforceError('MALFORMED_ID', 'bad id'))),
    ).rejects.toThrow('MALFORMED_ID: bad id');
  });
});

describe('the one mapping, for every toolset', () => {
  it('says what was being done, drops the Metadata API and sf: prefixes, and keeps the code', () => {
    const error = toToolError(
      Object.assign(new Error('Metadata API request failed: sf:INVALID_ID_FIELD: bad job'), {
        errorCode: 'sf:INVALID_ID_FIELD',
      }),
      { prefix: 'Could not quick deploy' },
    ) as ToolError;
    expect([error.message, error.code, error.kind]).toEqual([
      'Could not quick deploy: INVALID_ID_FIELD: bad job',
      'INVALID_ID_FIELD',
      'salesforce',
    ]);
  });

  it('explains an HTTP failure that came with no message', () => {
    const error = toToolError(salesforceError('ERROR_HTTP_431', '')) as ToolError;
    expect(error.message).toBe('Salesforce answered HTTP 431 (request headers too large) with no message.');
    expect(error.hint).toMatch(/16,384 bytes/);
  });

  it("wraps a library's own errors only when asked, and salesforceError always", () => {
    const library = new Error('The path force-app/x does not exist');
    expect(toToolError(library)).toBe(library);
    expect((toToolError(library, { wrapOthers: true }) as ToolError).message).toBe(library.message);
    expect(mapFailure(library, { prefix: 'Could not read it' }).message).toBe(
      'Could not read it: The path force-app/x does not exist',
    );
  });

  it('recognises a ToolError from another copy of the contract by its brand', () => {
    const foreign = Object.assign(new Error('from another copy'), { [Symbol.for('sfmcp.ToolError')]: true });
    expect(isToolError(foreign)).toBe(true);
    expect(toToolError(foreign)).toBe(foreign);
    expect(isToolError(new Error('plain'))).toBe(false);
  });
});
