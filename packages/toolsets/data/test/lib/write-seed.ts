import type { LocalOrgSeed } from '@sfmcp/local-org';
import { type LocalOrgTestServer, createLocalOrgTestServer } from '@sfmcp/testkit';
import plugin from '../../src/index.js';

/** A small org for the write tools: accounts with an external id, contacts, tasks. */
export function writeSeed(organization: LocalOrgSeed['organization'] = {}): LocalOrgSeed {
  return {
    organization: { Name: 'Write Tests', OrganizationType: 'Developer Edition', ...organization },
    customObjects: [
      {
        name: 'Account',
        fields: [{ name: 'External_Id__c', type: 'string', length: 40, externalId: true, unique: true }],
      },
      {
        name: 'Shipment__c',
        fields: [
          { name: 'Tracking__c', type: 'double', precision: 18, scale: 0, externalId: true, unique: true },
        ],
      },
    ],
    records: {
      Account: [
        { '@ref': 'acme', Name: 'Acme', Industry: 'Manufacturing', External_Id__c: 'A-1' },
        { '@ref': 'globex', Name: 'Globex', Industry: 'Energy', External_Id__c: 'A-2' },
        ...Array.from({ length: 6 }, (_, index) => ({ Name: `Bulk ${index + 1}`, Industry: 'Retail' })),
      ],
      Contact: [{ LastName: 'Babbage', AccountId: '@acme' }],
      Shipment__c: [{ Name: 'S-1', Tracking__c: 1001 }],
      Task: [
        { Subject: 'Call Acme', WhatId: '@acme', Status: 'Not Started', Priority: 'Normal' },
        { Subject: 'Email Globex', WhatId: '@globex', Status: 'Not Started', Priority: 'Normal' },
      ],
    },
  };
}

export function startWriteServer(
  options: {
    seed?: LocalOrgSeed;
    args?: string[];
    onElicit?: Parameters<typeof createLocalOrgTestServer>[0]['onElicit'];
  } = {},
): Promise<LocalOrgTestServer> {
  return createLocalOrgTestServer({ plugins: [plugin], seed: options.seed ?? writeSeed(), ...options });
}

/** Live (not deleted) rows of an object, straight from the local org's state. */
export function rows(server: LocalOrgTestServer, sobject: string): Record<string, unknown>[] {
  return [...server.org.state.records.rows(sobject)] as Record<string, unknown>[];
}

export function byName(server: LocalOrgTestServer, sobject: string, name: string): Record<string, unknown> {
  const row = rows(server, sobject).find(
    (candidate) => candidate.Name === name || candidate.Subject === name,
  );
  if (!row) throw new Error(`no ${sobject} named ${name}`);
  return row;
}

/** The one-time token from a preview the server returned instead of acting. */
export function tokenOf(text: string): string {
  const match = /confirmationToken: "([^"]+)"/.exec(text);
  if (!match) throw new Error(`no confirmation token in:\n${text}`);
  return match[1] as string;
}
