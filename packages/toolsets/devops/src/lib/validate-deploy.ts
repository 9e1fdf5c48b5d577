/**
 * "Does the project still deploy?": a check-only deploy of the clone's package directories to the org —
 * the Metadata API compiles and checks everything and saves nothing.
 */
import { type OrgHandle, type ToolContext, ToolError, pollUntilDone, toToolError } from '@sfmcp/plugin-api';

export interface ValidationFailure {
  type: string;
  fullName: string;
  problem: string;
  file?: string;
  line?: number;
}

export interface ValidationResult {
  id: string;
  success: boolean;
  /** false when the wait ran out: the validation goes on in the org. */
  done: boolean;
  components: number;
  failures: ValidationFailure[];
}

const WAIT_MS = 10 * 60_000;

function list<T>(value: T | T[] | undefined): T[] {
  return value === undefined ? [] : Array.isArray(value) ? value : [value];
}

export async function validateDeploy(
  ctx: ToolContext,
  org: OrgHandle,
  packageDirectories: readonly string[],
): Promise<ValidationResult> {
  const { ComponentSet } = await import('@salesforce/source-deploy-retrieve');
  const components = ComponentSet.fromSource({ fsPaths: [...packageDirectories] });
  if (components.size === 0)
    throw new ToolError('The project has no metadata components to validate.', undefined, {
      kind: 'invalid',
    });
  try {
    const operation = await components.deploy({
      usernameOrConnection: org.connection,
      apiOptions: { checkOnly: true, rollbackOnError: true, testLevel: 'NoTestRun' },
    });
    const id = operation.id ?? '';
    const outcome = await pollUntilDone({
      ctx,
      waitMs: WAIT_MS,
      check: async () => {
        const status = await operation.checkStatus();
        const done = String(status.done) === 'true';
        if (!done)
          await ctx.progress(
            Number(status.numberComponentsDeployed ?? 0),
            Number(status.numberComponentsTotal ?? 0) || undefined,
            `Validating: ${status.status}`,
          );
        return { done, status };
      },
    });
    if (!outcome.done) return { id, success: false, done: false, components: components.size, failures: [] };
    const status = outcome.status;
    const failures = list(status.details?.componentFailures)
      .filter((failure) => failure.problem)
      .map((failure) => ({
        type: String(failure.componentType ?? ''),
        fullName: String(failure.fullName ?? ''),
        problem: String(failure.problem),
        ...(failure.fileName ? { file: String(failure.fileName) } : {}),
        ...(failure.lineNumber !== undefined ? { line: Number(failure.lineNumber) } : {}),
      }));
    return {
      id,
      success: String(status.success) === 'true',
      done: true,
      components: components.size,
      failures,
    };
  } catch (error) {
    throw toToolError(error, { wrapOthers: true, prefix: 'The validation deploy failed' });
  }
}
