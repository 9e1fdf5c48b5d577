// The demo's script: each toolset adds its steps here, in the order a newcomer would try them.
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const memory = {};

export const demoSteps = {
  // --local-org: a Salesforce test double with demo data, allowed as "local". No real org is touched.
  // The data toolset by path: the sfmcp meta package does not depend on it yet.
  // The users toolset by path: the sfmcp meta package does not depend on it yet.
  // The apex-testing toolset by path: the sfmcp meta package does not depend on it yet.
  serverArgs: ['--local-org'],
  // The metadata toolset by path, working in a temporary copy of its bundled sample DX project:
  // prepare() runs before the server starts and returns the extra server flags (scripts/demo.mjs).
  prepare: async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sfmcp-demo-project-'));
    cpSync(fileURLToPath(new URL('../packages/toolsets/metadata/sample-project', import.meta.url)), dir, {
      recursive: true,
    });
    memory.metadataProject = dir;
    // The code-analysis toolset's sample project (known problems), nested inside: a project of its own.
    memory.codeAnalysisProject = join(dir, 'code-analysis-sample');
    cpSync(
      fileURLToPath(new URL('../packages/toolsets/code-analysis/sample-project', import.meta.url)),
      memory.codeAnalysisProject,
      { recursive: true },
    );
    return ['--project-dir', dir];
  },
  memory,
  steps: [
    {
      title: 'Which org would the assistant use? (the always-on core tool)',
      tool: 'get_username',
      args: {},
    },
    {
      title: 'Org access is pinned at start: another org is refused, whatever the tool is passed',
      tool: 'add_record_note',
      args: { recordId: '001000000000001AAA', title: 'Hello', usernameOrAlias: 'my-production-org' },
    },
    {
      title: 'A tool from a third-party plugin (examples/sfmcp-plugin-example)',
      tool: 'convert_record_id',
      args: { ids: ['001A0000006Vm9r', '003A0000008qb5z'] },
    },
    {
      title: 'Bad input gets a clear error, not a stack trace',
      tool: 'convert_record_id',
      args: { ids: ['not-an-id'] },
    },
    // ---- @sfmcp/data: changing records (update_records, delete_records) ----
    {
      title: 'The orgs this server may use, and whether they answer',
      tool: 'list_all_orgs',
      args: { checkConnection: true },
    },
    {
      title: 'Describe an object compactly: only the fields asked about',
      tool: 'describe_object',
      args: { objectName: 'Account', search: 'rating' },
    },
    {
      title: 'Find accounts to change',
      tool: 'run_soql_query',
      args: { query: "SELECT Id, Name, Rating FROM Account WHERE Rating != 'Hot' ORDER BY Name LIMIT 6" },
      after: (result, _text, memory) => {
        memory.accountIds = (result.structuredContent?.records ?? []).map((record) => record.Id);
        memory.accountId = memory.accountIds[0];
      },
    },
    {
      title: 'A cursor is sealed by the server: one made up to send the next request elsewhere is refused',
      tool: 'run_soql_query',
      args: {
        query: 'SELECT Id FROM Account',
        cursor: Buffer.from(JSON.stringify({ l: 'http://attacker.example/steal', s: 0, n: 0 })).toString(
          'base64url',
        ),
      },
    },
    {
      title: 'Change six records: more than a handful, so the update shows its preview (old → new) and waits',
      tool: 'update_records',
      args: (memory) => ({
        sobject: 'Account',
        records: memory.accountIds.map((Id) => ({ Id, Rating: 'Hot' })),
      }),
      after: (_result, text, memory) => {
        memory.updateToken = /confirmationToken: "([^"]+)"/.exec(text)?.[1];
      },
    },
    {
      title: 'The user approved: the same call with the token makes the change',
      tool: 'update_records',
      args: (memory) => ({
        sobject: 'Account',
        records: memory.accountIds.map((Id) => ({ Id, Rating: 'Hot' })),
        confirmationToken: memory.updateToken,
      }),
    },
    {
      title: 'A typo in a field name is refused before anything is sent, with a suggestion',
      tool: 'update_records',
      args: (memory) => ({ sobject: 'Account', records: [{ Id: memory.accountId, Ratng: 'Warm' }] }),
    },
    {
      title: 'Find a task to delete',
      tool: 'run_soql_query',
      args: { query: 'SELECT Id, Subject, Status FROM Task ORDER BY Subject LIMIT 1' },
      after: (result, _text, memory) => {
        memory.taskId = result.structuredContent?.records?.[0]?.Id;
      },
    },
    {
      title: 'A delete shows its preview first: this client has no elicitation, so it gets a one-time token',
      tool: 'delete_records',
      args: (memory) => ({ sobject: 'Task', ids: [memory.taskId] }),
      after: (_result, text, memory) => {
        memory.deleteToken = /confirmationToken: "([^"]+)"/.exec(text)?.[1];
      },
    },
    {
      title: 'The user approved: the same call with the token deletes the task',
      tool: 'delete_records',
      args: (memory) => ({ sobject: 'Task', ids: [memory.taskId], confirmationToken: memory.deleteToken }),
    },
    // ---- @sfmcp/users: permission sets ----
    {
      title:
        'Assign a permission set to a demo user named with a quote (values are escaped, never blocklisted)',
      tool: 'assign_permission_set',
      args: {
        permissionSetName: 'Report_Builder',
        onBehalfOf: ["James O'Brien", 'wei.chen@harborlane.sfmcp.test'],
      },
    },
    // ---- @sfmcp/metadata: deploy a bundled sample project and retrieve it back ----
    {
      title:
        'Deploy the sample DX project (Apex, a custom object with fields, LWC, Aura, a permission set...): one row per component',
      tool: 'deploy_metadata',
      args: { sourceDir: ['force-app'] },
    },
    {
      title: 'Paths outside the project are refused before anything reaches the org',
      tool: 'deploy_metadata',
      args: { sourceDir: ['../../etc'] },
    },
    {
      title:
        'Write a package.xml for the project (then the demo deletes the local source, to retrieve it back)',
      tool: 'generate_manifest',
      args: { sourceDir: ['force-app'] },
      after: (_result, _text, memory) => {
        rmSync(join(memory.metadataProject, 'force-app'), { recursive: true, force: true });
      },
    },
    {
      title: 'Retrieve it back into the now empty project: every file comes back in source format',
      tool: 'retrieve_metadata',
      args: { manifest: 'manifest/package.xml' },
    },
    // ---- @sfmcp/apex-testing: the sample project's Apex tests, run in the org it was deployed to ----
    {
      title: 'Test classes and methods, parsed from the project and read from the org (where each one is)',
      tool: 'list_apex_tests',
      args: {},
    },
    {
      title:
        "Run the sample project's Apex tests with coverage (the local org's outcomes are declared, not run)",
      tool: 'run_apex_test',
      args: { classNames: ['InvoiceServiceTest'], codeCoverage: true },
      after: (result, _text, memory) => {
        memory.testRunId = result.structuredContent?.testRunId;
      },
    },
    {
      title: 'A test run is resumable by its id (707...), through the core tool resume_tool_operation',
      tool: 'resume_tool_operation',
      args: (memory) => ({ jobId: memory.testRunId, wait: 1 }),
    },
    // ---- @sfmcp/code-analysis: Salesforce Code Analyzer on a sample project with known problems ----
    {
      title:
        'Analyze a project with Code Analyzer (PMD, ESLint+LWC, regex, RetireJS...): counts, the top violations, JSON + SARIF',
      tool: 'run_code_analyzer',
      args: (memory) => ({ target: ['force-app'], directory: memory.codeAnalysisProject }),
    },
    {
      title: 'A target outside the project is refused before any engine runs',
      tool: 'run_code_analyzer',
      args: (memory) => ({ target: ['../force-app'], directory: memory.codeAnalysisProject }),
    },
    // ---- @sfmcp/lwc-experts: a Lightning Web Component scaffolded, checked and tested with the LWC toolchain ----
    {
      title:
        'Scaffold an LWC for the Account record page: reads the record with LDS, a design property, its Jest test',
      tool: 'create_lwc_component',
      args: {
        name: 'accountSummary',
        label: 'Account Summary',
        targets: ['record-page'],
        objects: ['Account'],
        properties: [{ name: 'heading', type: 'String', label: 'Heading', default: 'Account' }],
        recordData: { fields: ['Account.Name', 'Account.Industry'] },
      },
    },
    {
      title: 'Validate it: compiler, LWC and SLDS lint rules, js-meta.xml, accessibility, a readiness score',
      tool: 'validate_lwc_component',
      args: { componentName: 'accountSummary' },
    },
    {
      title: 'Run its generated Jest test with sfdx-lwc-jest (the project needs no node_modules of its own)',
      tool: 'run_lwc_jest_tests',
      args: { componentName: 'accountSummary' },
    },
    {
      title: 'A compiler error code, explained from the LWC compiler catalogue',
      tool: 'reference_lwc_compilation_error',
      args: { errorCode: 'LWC1034' },
    },
    // ---- @sfmcp/devops: DevOps Center, with git run by the tools (the local org's repositories are on disk) ----
    {
      title: 'DevOps Center projects and their pipelines',
      tool: 'list_devops_center_projects',
      args: {},
      after: (result, _text, memory) => {
        memory.devopsProjectId = result.structuredContent?.projects?.[0]?.id;
      },
    },
    {
      title: 'The work items of a project: status, branch, the stage reached and the next one',
      tool: 'list_devops_center_work_items',
      args: (memory) => ({ project: { Id: memory.devopsProjectId } }),
    },
    {
      title: 'Check a work item out: the tool clones the repository and switches to its branch itself',
      tool: 'checkout_devops_center_work_item',
      args: { workItemName: 'WI-000003', localPath: 'acme-sales-app' },
    },
    {
      title: 'Will it merge into Integration? Asked of git without a checkout',
      tool: 'detect_devops_center_merge_conflict',
      args: { localPath: 'acme-sales-app', workItemName: 'WI-000003' },
    },
    {
      title:
        'Promote the work item that is Ready to Promote: promotion changes orgs, so it shows what goes where first',
      tool: 'promote_devops_center_work_item',
      args: { workItemNames: ['WI-000003'] },
      after: (_result, text, memory) => {
        memory.promoteToken = /confirmationToken: "([^"]+)"/.exec(text)?.[1];
      },
    },
    {
      title: 'The user approved: the promotion runs and is followed to its end',
      tool: 'promote_devops_center_work_item',
      args: (memory) => ({ workItemNames: ['WI-000003'], confirmationToken: memory.promoteToken }),
    },
  ],
};
