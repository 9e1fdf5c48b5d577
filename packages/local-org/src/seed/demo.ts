/**
 * Demo data for a plausible company (Harbor Lane Outfitters, an outdoor-gear maker selling to
 * retailers and institutions): the same records on every run, with dates relative to today so
 * the pipeline always looks current.
 */
import { demoDevops } from '../devops/demo.js';
import { OPPORTUNITY_STAGES } from '../state/standard-objects.js';
import { SeededRandom, dateTimeOffset, dayOffset } from './random.js';
import type { LocalOrgSeed, SeedRecord } from './types.js';

const ACCOUNTS: ReadonlyArray<
  [name: string, industry: string, city: string, state: string, country: string, type: string]
> = [
  ['Acme Corporation', 'Manufacturing', 'San Francisco', 'CA', 'USA', 'Customer - Direct'],
  ['Globex Industries', 'Energy', 'Houston', 'TX', 'USA', 'Customer - Direct'],
  ['Initech', 'Technology', 'Austin', 'TX', 'USA', 'Prospect'],
  ['Umbrella Health', 'Healthcare', 'Boston', 'MA', 'USA', 'Customer - Channel'],
  ['Stark Mountain Supply', 'Retail', 'Denver', 'CO', 'USA', 'Customer - Direct'],
  ['Wayne Outdoor Co.', 'Retail', 'Chicago', 'IL', 'USA', 'Channel Partner / Reseller'],
  ['Cyberdyne Systems', 'Electronics', 'Sunnyvale', 'CA', 'USA', 'Technology Partner'],
  ['Soylent Foods', 'Food & Beverage', 'Portland', 'OR', 'USA', 'Prospect'],
  ['Tyrell Logistics', 'Transportation', 'Seattle', 'WA', 'USA', 'Customer - Direct'],
  ['Vandelay Imports', 'Shipping', 'New York', 'NY', 'USA', 'Customer - Channel'],
  ['Hooli', 'Technology', 'Palo Alto', 'CA', 'USA', 'Prospect'],
  ['Pied Piper Outfitters', 'Retail', 'San Jose', 'CA', 'USA', 'Customer - Direct'],
  ["O'Malley Brothers Trading", 'Apparel', 'Dublin', 'Leinster', 'Ireland', 'Channel Partner / Reseller'],
  ['Nordlicht Sport GmbH', 'Retail', 'Munich', 'Bavaria', 'Germany', 'Customer - Channel'],
  ['Maple Ridge School District', 'Education', 'Vancouver', 'BC', 'Canada', 'Customer - Direct'],
  ['Sakura Trails K.K.', 'Recreation', 'Tokyo', 'Tokyo', 'Japan', 'Prospect'],
  ['Blue Harbor Bank', 'Banking', 'Charlotte', 'NC', 'USA', 'Other'],
  ['Green Valley Co-op', 'Agriculture', 'Madison', 'WI', 'USA', 'Customer - Direct'],
  ['Summit Alpine Rescue', 'Not For Profit', 'Salt Lake City', 'UT', 'USA', 'Customer - Direct'],
  ['Coastal Adventures Ltd', 'Hospitality', 'Bristol', 'England', 'United Kingdom', 'Customer - Channel'],
  ['Redwood Parks Authority', 'Government', 'Sacramento', 'CA', 'USA', 'Prospect'],
  ['Northwind Traders', 'Retail', 'Minneapolis', 'MN', 'USA', 'Customer - Direct'],
  ['Lumen Media Group', 'Media', 'Los Angeles', 'CA', 'USA', 'Installation Partner'],
  ['Atlas Engineering', 'Engineering', 'Pittsburgh', 'PA', 'USA', 'Technology Partner'],
];

const FIRST_NAMES = [
  'Olivia',
  'Liam',
  'Emma',
  'Noah',
  'Ava',
  'Mateo',
  'Sofia',
  'Lucas',
  'Amara',
  'Kenji',
  'Ingrid',
  'Rahul',
  'Chloé',
  'Diego',
  'Hannah',
  'Tariq',
  'Mei',
  'Oskar',
  'Zoe',
  'Samuel',
  'Aisha',
  'Patrick',
  'Yuki',
  'Elena',
];
const LAST_NAMES = [
  'Johnson',
  'Nguyen',
  "O'Connor",
  'Schmidt',
  'Garcia',
  'Okafor',
  'Tanaka',
  'Rossi',
  'Kowalski',
  'Haddad',
  'Larsen',
  "D'Angelo",
  'Patel',
  'Fischer',
  'Moreau',
  'Silva',
  'Kim',
  'Murphy',
  'Novak',
  'Andersson',
];
const TITLES = [
  'CEO',
  'VP Operations',
  'Purchasing Manager',
  'Buyer',
  'CFO',
  'Store Manager',
  'IT Director',
  'Procurement Lead',
  'COO',
  'Office Manager',
];
const DEPARTMENTS = ['Executive', 'Operations', 'Purchasing', 'Finance', 'IT', 'Sales'];
const PRODUCTS: ReadonlyArray<[name: string, code: string, family: string, price: number]> = [
  ['Summit 40L Backpack', 'HL-BP-40', 'Hardware', 189],
  ['Ridgeline 2-Person Tent', 'HL-TN-2P', 'Hardware', 429],
  ['Trailhead Down Jacket', 'HL-JK-DN', 'Hardware', 259],
  ['Glacier Sleeping Bag', 'HL-SB-GL', 'Hardware', 319],
  ['Fleet Tracker Subscription', 'HL-SW-FT', 'Software', 1200],
  ['Inventory Sync Connector', 'HL-SW-IS', 'Software', 2400],
  ['On-site Fitting Service', 'HL-SV-FIT', 'Services', 950],
  ['Wilderness Safety Course', 'HL-TR-WS', 'Training', 600],
];
const CASE_SUBJECTS = [
  'Tent pole cracked on first use',
  'Order arrived incomplete',
  'Invoice shows wrong discount',
  'Zipper failure on jacket',
  'Tracker subscription not activating',
  'Request for bulk pricing',
  'Sizing chart question',
  'Shipment delayed at customs',
  'Connector sync errors overnight',
  'Warranty claim for sleeping bag',
];
const LEAD_COMPANIES = [
  'Peak Performance Gyms',
  'Trailblazers Scouts',
  'Riverbend Outfitters',
  'Alpine Ascent Guides',
  'Campus Rec Services',
  'Harborview Hotels',
  'Evergreen Schools',
  'Lakeside Rentals',
  'Desert Sun Tours',
  'Northern Lights Lodge',
  'Cascade Climbing Club',
  'Urban Trail Co.',
  'Pinecrest Camps',
  'Blue Ridge Adventures',
  'Coral Reef Divers',
  'Frontier Supply',
  'Highland Games Society',
  'Meadowbrook Parks',
  'Glacier Point Rentals',
  'Sunrise Yoga Retreats',
  'Redrock Expeditions',
  'Timberline Lodge',
  'Waterfront YMCA',
  'Canyon Ranch Outfitters',
  'Snowline Ski School',
];

export interface DemoSeedOptions {
  /** "Today" for relative dates; defaults to now. */
  today?: Date;
  /**
   * The DevOps Center data model of the demo's project (Acme Sales App): the standard objects
   * (`platform`, the default), the managed package's `sf_devops__` objects, or `none`.
   */
  devopsModel?: 'platform' | 'managed-package' | 'none';
}

/** The demo company's seed. Deterministic except for dates, which are relative to `today`. */
export function demoSeed(options: DemoSeedOptions = {}): LocalOrgSeed {
  const today = options.today ?? new Date();
  const random = new SeededRandom(20261124);

  const users: SeedRecord[] = [
    {
      '@ref': 'admin',
      FirstName: 'Alex',
      LastName: 'Admin',
      Username: 'admin@harborlane.sfmcp.test',
      Email: 'admin@harborlane.example',
      Title: 'Salesforce Administrator',
      UserRoleId: '@role:ceo',
    },
    {
      '@ref': 'maria',
      FirstName: 'Maria',
      LastName: 'Garcia',
      Username: 'maria.garcia@harborlane.sfmcp.test',
      Email: 'maria.garcia@harborlane.example',
      Title: 'VP Sales',
      ProfileId: '@profile:Standard User',
      UserRoleId: '@role:vpSales',
    },
    {
      '@ref': 'obrien',
      FirstName: 'James',
      LastName: "O'Brien",
      Username: 'james.obrien@harborlane.sfmcp.test',
      Email: 'james.obrien@harborlane.example',
      Title: 'Account Executive',
      ProfileId: '@profile:Standard User',
      UserRoleId: '@role:rep',
      ManagerId: '@maria',
    },
    {
      '@ref': 'priya',
      FirstName: 'Priya',
      LastName: 'Patel',
      Username: 'priya.patel@harborlane.sfmcp.test',
      Email: 'priya.patel@harborlane.example',
      Title: 'Account Executive',
      ProfileId: '@profile:Standard User',
      UserRoleId: '@role:rep',
      ManagerId: '@maria',
    },
    {
      '@ref': 'wei',
      FirstName: 'Wei',
      LastName: 'Chen',
      Username: 'wei.chen@harborlane.sfmcp.test',
      Email: 'wei.chen@harborlane.example',
      Title: 'Support Manager',
      ProfileId: '@profile:Standard User',
      UserRoleId: '@role:support',
    },
    {
      '@ref': 'auditor',
      FirstName: 'Fatima',
      LastName: 'Al-Sayed',
      Username: 'fatima.alsayed@harborlane.sfmcp.test',
      Email: 'fatima.alsayed@harborlane.example',
      Title: 'Compliance Auditor',
      ProfileId: '@profile:Read Only',
    },
    {
      '@ref': 'integration',
      FirstName: 'Integration',
      LastName: 'User',
      Username: 'integration@harborlane.sfmcp.test',
      Email: 'integration@harborlane.example',
      ProfileId: '@profile:Minimum Access - Salesforce',
    },
    {
      '@ref': 'former',
      FirstName: 'Tom',
      LastName: 'Former',
      Username: 'tom.former@harborlane.sfmcp.test',
      Email: 'tom.former@harborlane.example',
      ProfileId: '@profile:Standard User',
      IsActive: false,
    },
  ];
  const owners = ['@admin', '@obrien', '@priya', '@maria'];

  const roles: SeedRecord[] = [
    { '@ref': 'role:ceo', Name: 'CEO', DeveloperName: 'CEO' },
    { '@ref': 'role:vpSales', Name: 'VP, Sales', DeveloperName: 'VP_Sales', ParentRoleId: '@role:ceo' },
    {
      '@ref': 'role:rep',
      Name: 'Sales Representative',
      DeveloperName: 'Sales_Rep',
      ParentRoleId: '@role:vpSales',
    },
    {
      '@ref': 'role:support',
      Name: 'Support Manager',
      DeveloperName: 'Support_Manager',
      ParentRoleId: '@role:ceo',
    },
  ];

  const permissionSets: SeedRecord[] = [
    {
      '@ref': 'ps:salesOps',
      Name: 'Sales_Operations',
      Label: 'Sales Operations',
      Description: 'Edit opportunities and run pipeline reports.',
      PermissionsRunReports: true,
      PermissionsApiEnabled: true,
    },
    {
      '@ref': 'ps:support',
      Name: 'Support_Agent',
      Label: 'Support Agent',
      Description: 'Work cases and contacts.',
      PermissionsEditTask: true,
    },
    {
      '@ref': 'ps:api',
      Name: 'API_Integration',
      Label: 'API Integration',
      Description: 'API access for the ERP integration user.',
      PermissionsApiEnabled: true,
      PermissionsViewAllData: true,
    },
    {
      '@ref': 'ps:apex',
      Name: 'Apex_Developer',
      Label: 'Apex Developer',
      Description: 'Author Apex and view setup.',
      PermissionsAuthorApex: true,
      PermissionsViewSetup: true,
    },
    {
      '@ref': 'ps:reports',
      Name: 'Report_Builder',
      Label: 'Report Builder',
      Description: 'Build and run reports.',
      PermissionsRunReports: true,
    },
  ];
  const permissionSetGroups: SeedRecord[] = [
    {
      '@ref': 'psg:sales',
      DeveloperName: 'Sales_Team',
      MasterLabel: 'Sales Team',
      Description: 'Everything an account executive needs.',
    },
  ];
  const objectPermissions: SeedRecord[] = [
    ...['Account', 'Contact', 'Opportunity'].map((object) => ({
      ParentId: '@ps:salesOps',
      SobjectType: object,
      PermissionsRead: true,
      PermissionsCreate: true,
      PermissionsEdit: true,
      PermissionsDelete: object === 'Opportunity',
    })),
    ...['Case', 'Contact'].map((object) => ({
      ParentId: '@ps:support',
      SobjectType: object,
      PermissionsRead: true,
      PermissionsCreate: true,
      PermissionsEdit: true,
      PermissionsDelete: false,
    })),
    ...['Account', 'Contact', 'Opportunity', 'Case', 'Product2'].map((object) => ({
      ParentId: '@ps:api',
      SobjectType: object,
      PermissionsRead: true,
      PermissionsCreate: true,
      PermissionsEdit: true,
      PermissionsDelete: false,
      PermissionsViewAllRecords: true,
    })),
  ];
  const assignments: SeedRecord[] = [
    { AssigneeId: '@obrien', PermissionSetId: '@ps:salesOps' },
    { AssigneeId: '@priya', PermissionSetId: '@ps:salesOps' },
    { AssigneeId: '@maria', PermissionSetId: '@ps:reports' },
    { AssigneeId: '@wei', PermissionSetId: '@ps:support' },
    { AssigneeId: '@integration', PermissionSetId: '@ps:api' },
    { AssigneeId: '@admin', PermissionSetId: '@ps:apex' },
    { AssigneeId: '@priya', PermissionSetGroupId: '@psg:sales' },
  ];

  const accounts: SeedRecord[] = ACCOUNTS.map(([name, industry, city, state, country, type], index) => ({
    '@ref': `account${index}`,
    Name: name,
    Industry: industry,
    Type: type,
    BillingStreet: `${100 + index * 17} ${random.pick(['Market', 'Harbor', 'Pine', 'Main', 'Lake', 'Oak'])} Street`,
    BillingCity: city,
    BillingState: state,
    BillingPostalCode: String(10000 + index * 731).slice(0, 5),
    BillingCountry: country,
    Phone: `(555) ${String(200 + index).padStart(3, '0')}-${String(1000 + index * 37).slice(0, 4)}`,
    Website: `https://www.${name.toLowerCase().replace(/[^a-z0-9]+/g, '')}.example`,
    AnnualRevenue: random.int(5, 900) * 100000,
    NumberOfEmployees: random.int(12, 25000),
    Rating: random.pick(['Hot', 'Warm', 'Cold']),
    AccountSource: random.pick(['Web', 'Phone Inquiry', 'Partner Referral', 'Purchased List', 'Other']),
    External_Id__c: `ERP-${String(1001 + index)}`,
    OwnerId: owners[index % owners.length],
    ...(index === 5 ? { ParentId: '@account4' } : {}),
  }));

  const contacts: SeedRecord[] = [];
  ACCOUNTS.forEach(([accountName], accountIndex) => {
    const count = 2 + (accountIndex % 2);
    for (let index = 0; index < count; index++) {
      const number = contacts.length;
      const firstName = FIRST_NAMES[number % FIRST_NAMES.length] as string;
      const lastName = LAST_NAMES[(number * 7) % LAST_NAMES.length] as string;
      const domain = accountName.toLowerCase().replace(/[^a-z0-9]+/g, '');
      contacts.push({
        '@ref': `contact${number}`,
        AccountId: `@account${accountIndex}`,
        Salutation: random.pick(['Mr.', 'Ms.', 'Dr.', 'Mrs.']),
        FirstName: firstName,
        LastName: lastName,
        Title: TITLES[(number + accountIndex) % TITLES.length],
        Department: DEPARTMENTS[number % DEPARTMENTS.length],
        Email:
          `${firstName}.${lastName}`
            .toLowerCase()
            .normalize('NFD')
            .replace(/[^a-z.]/g, '') + `@${domain}.example`,
        Phone: `(555) ${String(300 + number).padStart(3, '0')}-${String(2000 + number * 13).slice(0, 4)}`,
        LeadSource: random.pick(['Web', 'Phone Inquiry', 'Partner Referral', 'Other']),
        MailingCity: ACCOUNTS[accountIndex]?.[2],
        MailingCountry: ACCOUNTS[accountIndex]?.[4],
        OwnerId: owners[accountIndex % owners.length],
      });
    }
  });

  const opportunities: SeedRecord[] = [];
  for (let index = 0; index < 44; index++) {
    const stage = OPPORTUNITY_STAGES[index % OPPORTUNITY_STAGES.length]!;
    const accountIndex = (index * 5) % ACCOUNTS.length;
    const product = PRODUCTS[index % PRODUCTS.length]!;
    const closeDate = stage.closed
      ? dayOffset(today, -random.int(3, 200))
      : dayOffset(today, random.int(5, 180));
    opportunities.push({
      '@ref': `opportunity${index}`,
      AccountId: `@account${accountIndex}`,
      Name: `${ACCOUNTS[accountIndex]![0]} - ${product[0]}${index >= OPPORTUNITY_STAGES.length ? ` (${Math.floor(index / OPPORTUNITY_STAGES.length) + 1})` : ''}`,
      StageName: stage.name,
      Amount: product[3] * random.int(10, 400),
      CloseDate: closeDate,
      Type: random.pick(['New Customer', 'Existing Customer - Upgrade', 'Existing Customer - Replacement']),
      LeadSource: random.pick(['Web', 'Phone Inquiry', 'Partner Referral', 'Purchased List']),
      NextStep: stage.closed
        ? null
        : random.pick(['Send proposal', 'Schedule demo', 'Confirm budget', 'Legal review', 'Site visit']),
      OwnerId: owners[index % owners.length],
    });
  }

  const cases: SeedRecord[] = [];
  for (let index = 0; index < 24; index++) {
    const contactIndex = (index * 3) % contacts.length;
    const contact = contacts[contactIndex]!;
    cases.push({
      AccountId: contact.AccountId,
      ContactId: `@contact${contactIndex}`,
      Subject: CASE_SUBJECTS[index % CASE_SUBJECTS.length],
      Description: `Reported by ${String(contact.FirstName)} ${String(contact.LastName)}.`,
      Status: ['New', 'Working', 'Escalated', 'Closed'][index % 4],
      Priority: ['High', 'Medium', 'Low'][index % 3],
      Origin: ['Phone', 'Email', 'Web'][index % 3],
      Type: random.pick(['Mechanical', 'Electrical', 'Other', 'Structural']),
      Reason: random.pick(['Installation', 'Performance', 'Breakdown', 'Feedback', 'Other']),
      OwnerId: index % 2 === 0 ? '@wei' : '@admin',
    });
  }

  const leads: SeedRecord[] = LEAD_COMPANIES.map((company, index) => ({
    FirstName: FIRST_NAMES[(index * 5 + 3) % FIRST_NAMES.length],
    LastName: LAST_NAMES[(index * 3 + 1) % LAST_NAMES.length],
    Company: company,
    Title: TITLES[index % TITLES.length],
    Email: `contact${index}@${company.toLowerCase().replace(/[^a-z0-9]+/g, '')}.example`,
    Phone: `(555) ${String(500 + index)}-0${String(100 + index)}`,
    Status: ['Open - Not Contacted', 'Working - Contacted', 'Closed - Not Converted', 'Working - Contacted'][
      index % 4
    ],
    LeadSource: random.pick(['Web', 'Phone Inquiry', 'Partner Referral', 'Purchased List', 'Other']),
    Industry: random.pick(['Recreation', 'Education', 'Hospitality', 'Retail', 'Not For Profit']),
    Rating: random.pick(['Hot', 'Warm', 'Cold']),
    City: random.pick(['Denver', 'Boise', 'Bend', 'Asheville', 'Flagstaff', 'Anchorage']),
    Country: 'USA',
    NumberOfEmployees: random.int(5, 800),
    OwnerId: owners[(index + 1) % owners.length],
  }));

  const tasks: SeedRecord[] = [];
  for (let index = 0; index < 36; index++) {
    const opportunity = index % 2 === 0;
    tasks.push({
      Subject: [
        'Call',
        'Send Quote',
        'Send Letter',
        'Other',
        'Follow up on proposal',
        'Check delivery status',
      ][index % 6],
      WhatId: opportunity
        ? `@opportunity${index % opportunities.length}`
        : `@account${index % ACCOUNTS.length}`,
      WhoId: `@contact${(index * 2) % contacts.length}`,
      ActivityDate: dayOffset(today, index - 12),
      Status:
        index < 12 ? 'Completed' : random.pick(['Not Started', 'In Progress', 'Waiting on someone else']),
      Priority: ['High', 'Normal', 'Normal', 'Low'][index % 4],
      Type: random.pick(['Call', 'Email', 'Meeting', 'Other']),
      OwnerId: owners[index % owners.length],
    });
  }

  const events: SeedRecord[] = [];
  for (let index = 0; index < 12; index++) {
    events.push({
      Subject: ['Meeting', 'Call', 'Product demo', 'Quarterly business review'][index % 4],
      WhatId: `@account${(index * 2) % ACCOUNTS.length}`,
      WhoId: `@contact${(index * 4) % contacts.length}`,
      StartDateTime: dateTimeOffset(today, index - 4, 9 + (index % 7)),
      DurationInMinutes: [30, 60, 45, 90][index % 4],
      Location: random.pick(['Zoom', 'Customer site', 'HQ - Room 4', 'Phone']),
      OwnerId: owners[index % owners.length],
    });
  }

  const products: SeedRecord[] = PRODUCTS.map(([name, code, family], index) => ({
    '@ref': `product${index}`,
    Name: name,
    ProductCode: code,
    Family: family,
    IsActive: true,
    Description: `${name} from the Harbor Lane catalog.`,
  }));
  const pricebookEntries: SeedRecord[] = PRODUCTS.map(([, , , price], index) => ({
    Pricebook2Id: '@pricebook:standard',
    Product2Id: `@product${index}`,
    UnitPrice: price,
    IsActive: true,
  }));

  const notes: SeedRecord[] = [
    {
      ParentId: '@account0',
      Title: 'Renewal strategy',
      Body: 'Bundle the tracker subscription with the spring tent order.',
    },
    {
      ParentId: '@account12',
      Title: "Call notes with O'Malley",
      Body: "Sean O'Malley wants EU pricing before Q3.",
    },
    { ParentId: '@opportunity3', Title: 'Pricing approval', Body: 'Discount up to 12% approved by Maria.' },
  ];

  return {
    organization: {
      Name: 'Harbor Lane Outfitters',
      OrganizationType: 'Developer Edition',
      IsSandbox: false,
      TrialExpirationDate: null,
      InstanceName: 'LO1',
      NamespacePrefix: null,
      City: 'San Francisco',
      State: 'CA',
      Country: 'US',
      Phone: '(555) 010-2026',
    },
    users,
    currentUser: 'admin',
    ...(options.devopsModel === 'none'
      ? {}
      : { devops: demoDevops(options.devopsModel ?? 'platform', 'admin@harborlane.sfmcp.test') }),
    customObjects: [
      {
        name: 'Account',
        fields: [
          {
            name: 'External_Id__c',
            type: 'string',
            label: 'ERP Account ID',
            length: 40,
            externalId: true,
            unique: true,
          },
        ],
      },
    ],
    records: {
      UserRole: roles,
      PermissionSet: permissionSets,
      PermissionSetGroup: permissionSetGroups,
      ObjectPermissions: objectPermissions,
      PermissionSetAssignment: assignments,
      Group: [
        { Name: 'Support Queue', DeveloperName: 'Support_Queue', Type: 'Queue' },
        { Name: 'West Coast Sales', DeveloperName: 'West_Coast_Sales', Type: 'Regular' },
      ],
      Account: accounts,
      Contact: contacts,
      Product2: products,
      Pricebook2: [
        { '@ref': 'pricebook:standard', Name: 'Standard Price Book', IsActive: true, IsStandard: true },
      ],
      PricebookEntry: pricebookEntries,
      Opportunity: opportunities,
      Case: cases,
      Lead: leads,
      Task: tasks,
      Event: events,
      Note: notes,
    },
    // What the org cannot do itself, declared for the classes of @sfmcp/metadata's sample project (the demo deploys it).
    // The outcomes are what those tests do on Salesforce; a test not declared here would be reported as not run.
    declared: {
      apexTests: {
        results: {
          'InvoiceServiceTest.sumsAmounts': { outcome: 'Pass' },
          'InvoiceServiceTest.ignoresBlankAmounts': { outcome: 'Pass' },
        },
        coverage: {
          InvoiceService: { covered: [2, 3, 4, 5, 7], uncovered: [], coveredBy: ['InvoiceServiceTest'] },
        },
      },
    },
  };
}
