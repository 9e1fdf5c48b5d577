import { readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ApiUsageWatch } from '../src/orgs/api-usage.js';
import { PolicyEngine } from '../src/policy/engine.js';
import { PolicyFileError, loadPolicy } from '../src/policy/load.js';
import { policyJsonSchema } from '../src/policy/schema.js';
import { RateLimits } from '../src/trust/rate-limits.js';
import { REDACTED, redactArguments } from '../src/trust/redact-arguments.js';

const schemaFile = fileURLToPath(new URL('../policy.schema.json', import.meta.url));

function policyFile(name: string, text: string): string {
  const file = join(homedir(), name);
  writeFileSync(file, text);
  return file;
}

describe('the policy file', () => {
  it('is described by the published JSON Schema (regenerate with UPDATE_TOOLSNAPS=1)', () => {
    const current = `${JSON.stringify(policyJsonSchema(), null, 2)}\n`;
    if (process.env.UPDATE_TOOLSNAPS) writeFileSync(schemaFile, current);
    expect(readFileSync(schemaFile, 'utf8')).toBe(current);
  });

  it('names the line and column of each mistake', async () => {
    const cases: Array<[string, RegExp]> = [
      [
        '{\n  "orgs": [\n    { "match": { "kind": "prod" } }\n  ]\n}',
        /:3:26: orgs\[0\]\.match\.kind: Invalid option: expected one of "production"\|"sandbox"/,
      ],
      [
        '{\n  "default": {\n    "writes": true,\n    "wrties": false\n  }\n}',
        /:4:5: default: Unrecognized key: "wrties"\. /,
      ],
      ['{\n  "default": { "maxQueryRows": -1 }\n}', /:2:32: default\.maxQueryRows: Too small/],
      [
        '{\n  "default": { "rateLimits": { "perOrg": { "calls": 0, "perSeconds": 60 } } }\n}',
        /:2:53: default\.rateLimits\.perOrg\.calls: /,
      ],
      ['{ "orgs": [ { "match": {} } ], }', /:1:32: the policy is not valid JSON \(property name expected\)/],
      ['', /:1:1: the policy is not valid JSON/],
    ];
    for (const [index, [text, expected]] of cases.entries()) {
      const file = policyFile(`mistake-${index}.json`, text);
      const loading = loadPolicy(file);
      await expect(loading).rejects.toBeInstanceOf(PolicyFileError);
      await expect(loading).rejects.toThrow(expected);
    }
    await expect(loadPolicy(join(homedir(), 'missing.json'))).rejects.toThrow(
      /cannot read the policy .*missing\.json: ENOENT/,
    );
  });

  it('applies the first rule whose match fits the org, else the default', async () => {
    const file = policyFile(
      'rules.json',
      JSON.stringify(
        {
          orgs: [
            { name: 'team sandboxes', match: { alias: 'qa-*', kind: ['sandbox'] }, writes: true },
            { match: { username: '*@prod.example.com' }, writes: false },
          ],
          default: { review: 'writes' },
        },
        null,
        2,
      ),
    );
    const engine = new PolicyEngine(await loadPolicy(file));
    expect(engine.ruleFor({ username: 'a@x.com', alias: 'qa-1', kind: 'sandbox' }).label).toBe(
      'policy rule orgs[0] "team sandboxes" (rules.json:3)',
    );
    // The alias fits, the kind does not: the next rule, then the default.
    expect(engine.ruleFor({ username: 'a@x.com', alias: 'qa-1', kind: 'production' }).id).toBe('default');
    expect(engine.ruleFor({ username: 'Admin@Prod.Example.com', kind: 'production' }).id).toBe('orgs[1]');
    expect(
      engine.needsReview(engine.ruleFor({ username: 'b@y.com', kind: 'scratch' }), 'create_records', true),
    ).toBe(true);
    expect(
      engine.needsReview(engine.ruleFor({ username: 'b@y.com', kind: 'scratch' }), 'run_soql_query', false),
    ).toBe(false);
  });
});

describe('rate limits', () => {
  it('take a call from every window or from none, and recover as the window slides', () => {
    let now = 1_000_000;
    const limits = new RateLimits(() => now);
    const keys = [
      { key: 'org', rule: 'rateLimits.perOrg', limit: { calls: 3, perSeconds: 60 } },
      { key: 'tool', rule: 'rateLimits.perTool', limit: { calls: 2, perSeconds: 10 } },
    ];
    expect(limits.take(keys)).toBeUndefined();
    now += 1_000;
    expect(limits.take(keys)).toBeUndefined();
    expect(limits.take(keys)).toEqual({
      rule: 'rateLimits.perTool',
      limit: { calls: 2, perSeconds: 10 },
      retryAfterSeconds: 9,
    });
    // The refused call took nothing from the org's window.
    now += 9_001;
    expect(limits.take(keys)).toBeUndefined();
    now += 1;
    expect(limits.take(keys)).toMatchObject({ rule: 'rateLimits.perOrg', retryAfterSeconds: 50 });
    now += 50_000;
    expect(limits.take(keys)).toBeUndefined();
  });
});

describe('the org API usage watch', () => {
  it('reads Sforce-Limit-Info and refuses from the threshold on, with the figures', () => {
    let now = 0;
    const watch = new ApiUsageWatch(() => now);
    const target = { username: 'Admin@Example.com', name: 'dev' };
    const request = {
      method: 'GET',
      url: 'https://x.my.salesforce.com/services/data/v62.0/limits',
      headers: {},
    };
    expect(watch.wouldExceed('admin@example.com', 0.9)).toBeUndefined();
    watch.afterResponse(request, { headers: { 'Sforce-Limit-Info': 'api-usage=899/1000' } }, target);
    expect(watch.wouldExceed('admin@example.com', 0.9)).toBeUndefined();
    watch.afterResponse(request, { headers: { 'sforce-limit-info': 'api-usage=900/1000' } }, target);
    expect(watch.wouldExceed('admin@example.com', 0.9)).toMatchObject({
      used: 900,
      max: 1000,
      threshold: 0.9,
    });
    watch.afterResponse(request, { headers: { 'sforce-limit-info': 'garbage' } }, target);
    expect(watch.usage('admin@example.com')).toMatchObject({ used: 900 });
    // An hour later the reading is stale: it refuses nothing until the org answers again.
    now += 60 * 60_000 + 1;
    expect(watch.wouldExceed('admin@example.com', 0.9)).toBeUndefined();
  });
});

describe('arguments in the audit file', () => {
  it('keep what was asked and drop what looks like a secret', () => {
    const redacted = redactArguments({
      query: 'SELECT Id FROM Account',
      confirmationToken: 'abc',
      password: 'hunter2',
      records: [{ Name: 'Acme', Api_Key__c: 'k-123', Notes__c: 'token 00D000000000001!AQ.abc.def inside' }],
      authUrl: 'force://PlatformCLI::5Aep861abcdefghijklmnopqrstuvwxyz@example.my.salesforce.com',
      header: 'Bearer abcdefghijklmnopqrstuvwxyz0123',
    });
    expect(redacted).toEqual({
      query: 'SELECT Id FROM Account',
      password: REDACTED,
      records: [{ Name: 'Acme', Api_Key__c: REDACTED, Notes__c: `token ${REDACTED} inside` }],
      authUrl: REDACTED,
      header: REDACTED,
    });
  });
});
