/**
 * The demo org's DevOps Center project: Acme Sales App, a small DX project in `acme/acme-sales-app`
 * with an Integration → UAT → Production pipeline and three work items at different points.
 */
import type { SeedDevops } from '../seed/types.js';

const API_VERSION = '62.0';

const classMeta = `<?xml version="1.0" encoding="UTF-8"?>
<ApexClass xmlns="http://soap.sforce.com/2006/04/metadata">
    <apiVersion>${API_VERSION}</apiVersion>
    <status>Active</status>
</ApexClass>
`;

const ACCOUNT_SERVICE = `public with sharing class AccountService {
    public static List<Account> accountsInRegion(String region) {
        return [
            SELECT Id, Name, Region__c
            FROM Account
            WHERE Region__c = :region
            WITH USER_MODE
            ORDER BY Name
        ];
    }
}
`;

const ACCOUNT_SERVICE_WITH_CARD = `public with sharing class AccountService {
    public static List<Account> accountsInRegion(String region) {
        return [
            SELECT Id, Name, Region__c
            FROM Account
            WHERE Region__c = :region
            WITH USER_MODE
            ORDER BY Name
        ];
    }

    @AuraEnabled(cacheable=true)
    public static String regionLabel(Id accountId) {
        Account account = [SELECT Region__c FROM Account WHERE Id = :accountId WITH USER_MODE];
        return String.isBlank(account.Region__c) ? 'No region' : account.Region__c;
    }
}
`;

const DISCOUNT_CALCULATOR = `public with sharing class DiscountCalculator {
    public static Decimal discounted(Decimal amount, Decimal percent) {
        if (amount == null || percent == null) {
            return amount;
        }
        return amount - (amount * percent / 100);
    }
}
`;

function textField(name: string, label: string, extra = ''): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<CustomField xmlns="http://soap.sforce.com/2006/04/metadata">
    <fullName>${name}</fullName>
    <label>${label}</label>
${extra}</CustomField>
`;
}

const REGION_FIELD = textField(
  'Region__c',
  'Region',
  `    <length>40</length>
    <required>false</required>
    <type>Text</type>
`,
);

const VIP_FIELD = textField(
  'VIP__c',
  'VIP',
  `    <defaultValue>false</defaultValue>
    <type>Checkbox</type>
`,
);

const SFDX_PROJECT = `${JSON.stringify(
  {
    packageDirectories: [{ path: 'force-app', default: true }],
    name: 'acme-sales-app',
    namespace: '',
    sourceApiVersion: API_VERSION,
  },
  null,
  2,
)}
`;

const CLASSES = 'force-app/main/default/classes';
const ACCOUNT_FIELDS = 'force-app/main/default/objects/Account/fields';

/** The demo's DevOps Center section, in either data model; every work item is assigned to `assignee`. */
export function demoDevops(model: SeedDevops['model'], assignee: string): SeedDevops {
  return {
    model,
    projects: [
      {
        name: 'Acme Sales App',
        description: 'Account and pricing customizations for the Acme sales team.',
        repository: {
          owner: 'acme',
          name: 'acme-sales-app',
          defaultBranch: 'main',
          provider: 'GITHUB',
          files: {
            'sfdx-project.json': SFDX_PROJECT,
            '.forceignore':
              '# Files the Salesforce CLI leaves out of deploys and retrieves\n**/jsconfig.json\n**/.eslintrc.json\n**/__tests__/**\n',
            'README.md':
              '# Acme Sales App\n\nSalesforce DX project for the Acme sales team, released through DevOps Center.\n',
            [`${CLASSES}/AccountService.cls`]: ACCOUNT_SERVICE,
            [`${CLASSES}/AccountService.cls-meta.xml`]: classMeta,
            [`${CLASSES}/DiscountCalculator.cls`]: DISCOUNT_CALCULATOR,
            [`${CLASSES}/DiscountCalculator.cls-meta.xml`]: classMeta,
            [`${ACCOUNT_FIELDS}/Region__c.field-meta.xml`]: REGION_FIELD,
          },
        },
        pipeline: {
          name: 'Acme Release Pipeline',
          stages: [
            { name: 'Integration', branch: 'integration' },
            { name: 'UAT', branch: 'uat' },
            { name: 'Production', branch: 'main' },
          ],
        },
        workItems: [
          {
            subject: 'Show region on the account card',
            description: "Expose the account's region to the account card component.",
            status: 'IN_PROGRESS',
            assignee,
            branch: true,
            commits: [
              {
                message: 'AccountService: regionLabel for the account card',
                write: { [`${CLASSES}/AccountService.cls`]: ACCOUNT_SERVICE_WITH_CARD },
              },
            ],
          },
          {
            subject: 'Round discounts to cents',
            description: 'DiscountCalculator returns unrounded amounts; round them half up to two decimals.',
            status: 'NEW',
            assignee,
          },
          {
            subject: 'Add a VIP flag to Account',
            description: 'A checkbox the sales team sets on their most important accounts.',
            status: 'READY_TO_PROMOTE',
            assignee,
            branch: true,
            commits: [
              {
                message: 'Account: VIP__c checkbox',
                write: { [`${ACCOUNT_FIELDS}/VIP__c.field-meta.xml`]: VIP_FIELD },
              },
            ],
          },
        ],
      },
    ],
  };
}
