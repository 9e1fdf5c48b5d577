import { describe, expect, it } from 'vitest';
import { closestNames, didYouMean, levenshtein } from '../../src/lib/suggest.js';

describe('suggestions', () => {
  it('measures edit distance without regard to case', () => {
    expect(levenshtein('Name', 'name')).toBe(0);
    expect(levenshtein('Nmae', 'Name')).toBe(2);
    expect(levenshtein('Industy', 'Industry')).toBe(1);
    expect(levenshtein('', 'abc')).toBe(3);
  });

  it('offers the closest names, best first, and nothing far off', () => {
    const fields = ['Id', 'Name', 'Industry', 'OwnerId', 'BillingCity', 'ShippingCity', 'AccountNumber'];
    expect(closestNames('Industy', fields)).toEqual(['Industry']);
    expect(closestNames('BillingCty', fields)[0]).toBe('BillingCity');
    expect(closestNames('Zebra', fields)).toEqual([]);
    expect(didYouMean('Nmae', fields)).toBe(' Did you mean: Name?');
    expect(didYouMean('Zebra', fields)).toBe('');
  });
});
