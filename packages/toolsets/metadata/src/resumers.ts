import type { OperationResumer } from '@sfmcp/plugin-api';
import { DEFAULT_WAIT_MINUTES } from './lib/args.js';
import { finishDeploy } from './lib/deploy.js';
import { finishRetrieve } from './lib/retrieve.js';

/** resume_tool_operation for deploys (0Af): waits for the deploy and reports it as deploy_metadata does. */
export const deployResumer: OperationResumer = {
  idPrefixes: ['0Af'],
  operation: 'metadata deploy',
  // It waits and reports: the deploy itself was started (and reviewed) by deploy_metadata.
  readOnly: true,
  async resume(request, ctx) {
    const org = await ctx.org(request.usernameOrAlias);
    const project = await ctx.project(request.directory).catch(() => undefined);
    const { MetadataApiDeploy } = await import('@salesforce/source-deploy-retrieve');
    const operation = new MetadataApiDeploy({ id: request.jobId, usernameOrConnection: org.connection });
    return finishDeploy(
      ctx,
      org,
      project,
      { operation },
      request.jobId,
      request.wait ?? DEFAULT_WAIT_MINUTES,
    );
  },
};

/** resume_tool_operation for retrieves (09S): waits for the retrieve and writes its files into the project. */
export const retrieveResumer: OperationResumer = {
  idPrefixes: ['09S'],
  operation: 'metadata retrieve',
  async resume(request, ctx) {
    const project = await ctx.project(request.directory);
    const org = await ctx.org(request.usernameOrAlias);
    const { MetadataApiRetrieve } = await import('@salesforce/source-deploy-retrieve');
    const operation = new MetadataApiRetrieve({
      id: request.jobId,
      usernameOrConnection: org.connection,
      output: project.packageDirectories[0] ?? project.root,
      merge: true,
    });
    return finishRetrieve({
      ctx,
      org,
      project,
      operation,
      jobId: request.jobId,
      waitMinutes: request.wait ?? DEFAULT_WAIT_MINUTES,
    });
  },
};

/** This toolset's resume_tool_operation handlers. */
export const resumers: OperationResumer[] = [deployResumer, retrieveResumer];
