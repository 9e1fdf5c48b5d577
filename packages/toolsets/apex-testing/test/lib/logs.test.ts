import { describe, expect, it } from 'vitest';
import { filterLog, sliceLog } from '../../src/lib/logs.js';
import { lineRanges } from '../../src/lib/lines.js';

const LOG = [
  '62.0 APEX_CODE,FINEST',
  '12:00:00.0 (1)|EXECUTION_STARTED',
  '12:00:00.0 (2)|USER_DEBUG|[1]|DEBUG|first line',
  'second line of the same message',
  '12:00:00.0 (3)|SOQL_EXECUTE_BEGIN|[2]|SELECT Id FROM Account',
  '12:00:00.0 (4)|EXCEPTION_THROWN|[3]|System.NullPointerException',
  '12:00:00.0 (5)|FATAL_ERROR|System.NullPointerException',
].join('\n');

describe('debug log helpers', () => {
  it('keeps the header, USER_DEBUG (with its continuation lines) and exceptions', () => {
    expect(filterLog(LOG, 'debug').split('\n')).toEqual([
      '62.0 APEX_CODE,FINEST',
      '12:00:00.0 (2)|USER_DEBUG|[1]|DEBUG|first line',
      'second line of the same message',
      '12:00:00.0 (4)|EXCEPTION_THROWN|[3]|System.NullPointerException',
      '12:00:00.0 (5)|FATAL_ERROR|System.NullPointerException',
    ]);
    expect(filterLog(LOG, 'all')).toBe(LOG);
  });

  it('cuts at line ends within the cap and continues from the offset, losing nothing', () => {
    const first = sliceLog(LOG, 0, 100);
    expect(first.text.endsWith('\n')).toBe(true);
    expect(Buffer.byteLength(first.text)).toBeLessThanOrEqual(100);
    let text = first.text;
    let next = first.nextOffset;
    while (next !== undefined) {
      const slice = sliceLog(LOG, next, 100);
      text += slice.text;
      next = slice.nextOffset;
    }
    expect(text).toBe(LOG);
    const accented = sliceLog('é'.repeat(10), 0, 5);
    expect(accented.text).toBe('éé');
    expect(accented.nextOffset).toBe(4);
  });

  it('writes line numbers as ranges', () => {
    expect(lineRanges([7, 1, 2, 3, 5, 6, 10])).toBe('1-3, 5-7, 10');
    expect(lineRanges([])).toBe('');
  });
});
