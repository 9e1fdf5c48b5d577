import { describe, expect, it } from 'vitest';
import { ToolError, salesforceCall, toToolError } from '../src/index.js';

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
      ALREADY_IN_PROCESS: 'wait',
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
