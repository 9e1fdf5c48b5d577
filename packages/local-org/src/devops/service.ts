/**
 * DevOps Center for one running org: its git root (kept in the data dir, or a temporary folder that
 * stop() removes), the seeded bare repositories, and the Connect routes, run one at a time so that
 * two requests never move the same branch at once.
 */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SalesforceApiError } from '../errors.js';
import type { RouteReply, RouteRequest } from '../http/types.js';
import type { SeedDevops } from '../seed/types.js';
import type { LocalOrgState } from '../state/index.js';
import { createSeededRepository, gitAvailable, repositoryPath } from './git.js';
import { orgDevopsModel } from './models.js';
import { handleDevopsRoute } from './routes.js';
import { repositoryBlueprints } from './seed.js';

export interface GitRoot {
  path: string;
  /** Made for this run (no data dir): stop() removes it. */
  temporary: boolean;
}

/** `<dataDir>/git` (created once, then reused as it is), or a fresh temporary folder. */
export async function openGitRoot(dataDir: string | undefined): Promise<GitRoot> {
  if (dataDir) {
    const path = join(dataDir, 'git');
    await mkdir(path, { recursive: true });
    return { path, temporary: false };
  }
  return { path: await mkdtemp(join(tmpdir(), 'sfmcp-local-org-git-root-')), temporary: true };
}

export interface DevopsService {
  readonly gitRoot: string;
  /** `segments`: the path after `connect/devops/`. */
  handle(request: RouteRequest, segments: string[], instanceUrl: string): Promise<RouteReply>;
  /** Removes a temporary git root. */
  stop(): Promise<void>;
}

export async function startDevops(
  org: LocalOrgState,
  options: { gitRoot: GitRoot; seed: SeedDevops | undefined; restored: boolean },
): Promise<DevopsService> {
  const root = options.gitRoot.path;
  const model = orgDevopsModel(org);
  const hasGit = model ? await gitAvailable() : false;
  // Without git the rest of the org still works: DevOps Center's resources answer 503 saying why.
  if (model && !hasGit && !options.restored && options.seed)
    process.stderr.write(
      'sfmcp-local-org: git was not found on PATH, so DevOps Center has no repositories (its other objects work).\n',
    );
  if (model && hasGit && options.seed && !options.restored) {
    const blueprints = repositoryBlueprints(options.seed);
    for (const blueprint of blueprints) {
      const path = repositoryPath(root, blueprint.owner, blueprint.name);
      if (existsSync(path))
        throw new Error(
          `${path} already exists but the org's state is new: remove it, or start from the data dir's saved state.`,
        );
    }
    for (const blueprint of blueprints) await createSeededRepository(root, blueprint);
  }
  if (model) {
    // The repository URLs follow the git root (a data dir may have moved since the state was saved).
    org.records.transaction(() => model.setGitRoot(root));
  }

  let queue: Promise<unknown> = Promise.resolve();
  const serialized = <T>(work: () => Promise<T>): Promise<T> => {
    const run = queue.then(work, work);
    queue = run.catch(() => undefined);
    return run;
  };

  return {
    gitRoot: root,
    handle(request, segments, instanceUrl) {
      if (!model)
        return Promise.reject(
          new SalesforceApiError(
            404,
            'NOT_FOUND',
            'DevOps Center is not enabled in this org (its seed declares no devops).',
          ),
        );
      if (!hasGit)
        return Promise.reject(
          new SalesforceApiError(
            503,
            'SERVICE_UNAVAILABLE',
            'git was not found on PATH; the local org needs it for DevOps Center.',
          ),
        );
      return serialized(() =>
        handleDevopsRoute(request, segments, { org, model, gitRoot: root, instanceUrl }),
      );
    },
    async stop() {
      await queue;
      if (options.gitRoot.temporary) await rm(root, { recursive: true, force: true });
    },
  };
}
