import { randomBytes } from 'node:crypto';
import { type Stats, constants, lstatSync, readFileSync, realpathSync } from 'node:fs';
import { type FileHandle, link, lstat, mkdir, open, readdir, rename, rmdir, unlink } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { type DxProject, type ProjectFileWriter, type Workspace, ToolError } from '@sfmcp/plugin-api';
import { findDxProjectRoot } from './orgs/sf-state.js';

/** Linux and macOS limits: a longer name fails deep in the OS with an error that names nothing useful. */
const MAX_NAME_BYTES = 255;
const MAX_PATH_BYTES = 4096;

function lstatOrUndefined(path: string): Stats | undefined {
  try {
    return lstatSync(path);
  } catch {
    return undefined;
  }
}

/** Refuses path text no file system takes: NUL and control characters, lone surrogates, over-long names. */
function checkPathText(path: string): void {
  const invalid = (why: string) =>
    new ToolError(`The path is not usable: ${why}.`, 'Pass a plain relative path inside the project.', {
      kind: 'invalid',
    });
  if (typeof path !== 'string' || path === '') throw invalid('it is empty');
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(path)) throw invalid('it contains a NUL or control character');
  if (!path.isWellFormed()) throw invalid('it contains an unpaired UTF-16 surrogate');
  if (Buffer.byteLength(path) > MAX_PATH_BYTES) throw invalid(`it is over ${MAX_PATH_BYTES} bytes`);
  for (const part of path.split(/[\\/]/)) {
    if (Buffer.byteLength(part) > MAX_NAME_BYTES)
      throw invalid(`a file or folder name in it is over ${MAX_NAME_BYTES} bytes`);
  }
}

/** The real path of `path`, or of its nearest existing ancestor joined with the rest (for files not yet written). */
function realPathOfPossiblyNew(path: string): string {
  let existing = path;
  const rest: string[] = [];
  // lstat, not existsSync: a dangling symlink exists, and must not be taken for a new file.
  while (!lstatOrUndefined(existing)) {
    const parent = dirname(existing);
    if (parent === existing) break;
    rest.unshift(existing.slice(parent.length + 1));
    existing = parent;
  }
  let real: string;
  try {
    real = realpathSync(existing);
  } catch {
    throw new ToolError(
      `The path ${JSON.stringify(basename(path))} goes through a broken symbolic link.`,
      'Remove the link, or use another path.',
      { kind: 'invalid' },
    );
  }
  return join(real, ...rest);
}

function isInside(child: string, parent: string): boolean {
  const rel = relative(parent, child);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel) && !rel.startsWith(sep));
}

function fileError(error: unknown, shown: string): ToolError {
  const code = (error as NodeJS.ErrnoException).code;
  const why: Record<string, string> = {
    ENAMETOOLONG: 'the name is too long',
    EACCES: 'permission denied',
    EPERM: 'permission denied',
    ENOSPC: 'the disk is full',
    EROFS: 'the file system is read-only',
    EISDIR: 'it is a folder',
    ENOTDIR: 'a part of the path is a file, not a folder',
    EEXIST: 'it already exists',
  };
  return new ToolError(
    `Could not write ${shown}: ${why[code ?? ''] ?? code ?? 'unknown error'}.`,
    undefined,
    {
      kind: 'failed',
      code,
    },
  );
}

/**
 * Paths the model passes stay inside the area the server was started for: the DX project holding
 * --project-dir (or --project-dir itself when it is in none). Writes go through `writeFile` and friends,
 * which never follow a symbolic link.
 */
export class ProjectAccess {
  readonly boundary: string;

  constructor(projectDir: string) {
    const start = realPathOfPossiblyNew(resolve(projectDir));
    this.boundary = findDxProjectRoot(start) ?? start;
  }

  #outside(path: string): ToolError {
    return new ToolError(
      `The path ${JSON.stringify(path)} is outside the project.`,
      'Use a path inside the project, or restart the server with --project-dir pointing at the right project.',
      { kind: 'refused' },
    );
  }

  /** Resolves `path` (relative to `base`, default the boundary), following links, and refuses anything outside. */
  contain(path: string, base: string = this.boundary): string {
    checkPathText(path);
    const absolute = realPathOfPossiblyNew(resolve(base, path));
    if (!isInside(absolute, this.boundary)) throw this.#outside(path);
    return absolute;
  }

  /** For writing: where `path` is inside the boundary, without following any link (refused later). */
  #writePath(path: string, base: string): string {
    checkPathText(path);
    const lexical = resolve(base, path);
    if (isInside(lexical, this.boundary)) return lexical;
    // An absolute path may name the project through a link above it (macOS /var → /private/var): map the
    // shallowest ancestor that is the project itself; links inside the project are still refused.
    const parts = lexical.split(sep);
    for (let depth = 1; depth <= parts.length; depth++) {
      const prefix = parts.slice(0, depth).join(sep) || sep;
      let real: string | undefined;
      try {
        real = realpathSync(prefix);
      } catch {
        break;
      }
      if (real === this.boundary) return join(this.boundary, ...parts.slice(depth));
      if (!isInside(this.boundary, real)) break;
    }
    throw this.#outside(path);
  }

  /** Checks every existing component from the boundary down to `target` (exclusive) is a real folder. */
  #checkParents(target: string, shown: string): void {
    const rel = relative(this.boundary, dirname(target));
    let current = this.boundary;
    for (const part of rel ? rel.split(sep) : []) {
      current = join(current, part);
      const stats = lstatOrUndefined(current);
      if (!stats) return;
      if (stats.isSymbolicLink()) throw this.#linkRefused(current, shown);
      if (!stats.isDirectory())
        throw new ToolError(
          `Refused: ${relative(this.boundary, current)} is a file, so ${shown} cannot be written. Nothing was written.`,
          undefined,
          { kind: 'refused' },
        );
    }
  }

  #linkRefused(at: string, shown: string): ToolError {
    return new ToolError(
      `Refused: ${relative(this.boundary, at) || '.'} is a symbolic link; sfmcp never writes through links in the project (${shown} not written).`,
      'Replace the link with a real folder or file, or write elsewhere.',
      { kind: 'refused', code: 'SYMLINK_IN_PROJECT' },
    );
  }

  /** Creates the folders from the boundary down to `folder`, one at a time, refusing links; returns those it made. */
  async #makeFolders(folder: string, shown: string): Promise<string[]> {
    const rel = relative(this.boundary, folder);
    const made: string[] = [];
    let current = this.boundary;
    for (const part of rel ? rel.split(sep) : []) {
      current = join(current, part);
      try {
        await mkdir(current);
        made.push(current);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw fileError(error, shown);
      }
      const stats = await lstat(current);
      if (stats.isSymbolicLink()) throw this.#linkRefused(current, shown);
      if (!stats.isDirectory()) throw fileError(Object.assign(new Error(), { code: 'ENOTDIR' }), shown);
    }
    return made;
  }

  /** Checks the target itself: not a link, not a folder, not existing unless overwriting. */
  #checkTarget(target: string, shown: string, overwrite: boolean): void {
    const stats = lstatOrUndefined(target);
    if (!stats) return;
    if (stats.isSymbolicLink()) throw this.#linkRefused(target, shown);
    if (stats.isDirectory())
      throw new ToolError(`Refused: ${shown} is a folder. Nothing was written.`, undefined, {
        kind: 'refused',
      });
    if (!overwrite)
      throw new ToolError(
        `Refused: ${shown} already exists. Nothing was written.`,
        'Choose another file name, or pass overwrite: true.',
        { kind: 'refused', code: 'FILE_EXISTS' },
      );
  }

  /** Opens a temporary file, created exclusively (never through a link) in the target's folder. */
  async #openTemporary(folder: string, shown: string): Promise<{ path: string; handle: FileHandle }> {
    const path = join(folder, `.sfmcp-${randomBytes(8).toString('hex')}.tmp`);
    try {
      const flags = constants.O_CREAT | constants.O_EXCL | constants.O_WRONLY | (constants.O_NOFOLLOW ?? 0);
      return { path, handle: await open(path, flags, 0o644) };
    } catch (error) {
      throw fileError(error, shown);
    }
  }

  /** Moves the finished temporary file to `target`: without overwriting, as one step that fails if it exists. */
  async #place(temporary: string, target: string, shown: string, overwrite: boolean): Promise<void> {
    try {
      this.#checkParents(target, shown);
      this.#checkTarget(target, shown, overwrite);
      if (overwrite) {
        await rename(temporary, target);
        return;
      }
      try {
        await link(temporary, target);
        await unlink(temporary);
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'EEXIST') {
          this.#checkTarget(target, shown, false); // throws the clear "already exists" (or link) refusal
          throw fileError(error, shown);
        }
        if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EXDEV') throw fileError(error, shown);
        await rename(temporary, target); // file systems without hard links
      }
    } catch (error) {
      await unlink(temporary).catch(() => undefined);
      throw error;
    }
  }

  async createFile(path: string, base: string, overwrite = false): Promise<ProjectFileWriter> {
    const target = this.#writePath(path, base);
    const shown = relative(this.boundary, target) || basename(target);
    if (target === this.boundary)
      throw new ToolError('Refused: that path is the project folder itself, not a file.', undefined, {
        kind: 'invalid',
      });
    this.#checkParents(target, shown);
    this.#checkTarget(target, shown, overwrite);
    const madeFolders = await this.#makeFolders(dirname(target), shown);
    // Discarding leaves the project as it was: the folders made for the file go too (if still empty).
    const removeMadeFolders = async () => {
      for (const folder of madeFolders.reverse()) await rmdir(folder).catch(() => undefined);
    };
    let temporary: { path: string; handle: FileHandle };
    try {
      temporary = await this.#openTemporary(dirname(target), shown);
    } catch (error) {
      await removeMadeFolders();
      throw error;
    }
    let finished = false;
    const finish = async () => {
      if (finished) throw new Error(`${shown}: already committed or discarded`);
      finished = true;
      await temporary.handle.close();
    };
    return {
      path: target,
      write: async (chunk) => {
        try {
          await temporary.handle.write(typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk);
        } catch (error) {
          throw fileError(error, shown);
        }
      },
      commit: async () => {
        await finish();
        try {
          await this.#place(temporary.path, target, shown, overwrite);
        } catch (error) {
          await removeMadeFolders();
          throw error;
        }
      },
      discard: async () => {
        if (finished) return;
        await finish().catch(() => undefined);
        await unlink(temporary.path).catch(() => undefined);
        await removeMadeFolders();
      },
    };
  }

  async writeFile(
    path: string,
    base: string,
    content: string | Uint8Array,
    overwrite = false,
  ): Promise<string> {
    const file = await this.createFile(path, base, overwrite);
    try {
      await file.write(content);
      await file.commit();
    } catch (error) {
      await file.discard();
      throw error;
    }
    return file.path;
  }

  async makeDirectory(path: string, base: string): Promise<string> {
    const target = this.#writePath(path, base);
    const shown = relative(this.boundary, target) || '.';
    await this.#makeFolders(target, shown);
    return target;
  }

  async removeFile(path: string, base: string): Promise<void> {
    const target = this.#writePath(path, base);
    const shown = relative(this.boundary, target);
    this.#checkParents(target, shown);
    const stats = lstatOrUndefined(target);
    if (!stats) return;
    if (stats.isDirectory())
      throw new ToolError(`Refused: ${shown} is a folder.`, undefined, { kind: 'refused' });
    await unlink(target); // a link is removed itself, never what it points at
  }

  async assertNoLinks(paths: readonly string[], base: string): Promise<void> {
    const walk = async (folder: string, shown: string): Promise<void> => {
      for (const entry of await readdir(folder, { withFileTypes: true })) {
        const child = join(folder, entry.name);
        if (entry.isSymbolicLink()) throw this.#linkRefused(child, shown);
        if (entry.isDirectory()) await walk(child, shown);
      }
    };
    for (const path of paths) {
      const target = this.#writePath(path, base);
      const shown = relative(this.boundary, target) || '.';
      this.#checkParents(target, shown);
      const stats = lstatOrUndefined(target);
      if (stats?.isSymbolicLink()) throw this.#linkRefused(target, shown);
      if (stats?.isDirectory()) await walk(target, shown);
    }
  }

  workspace(): Workspace {
    return {
      root: this.boundary,
      resolve: (path) => this.contain(path),
      assertNoLinks: (paths) => this.assertNoLinks(paths, this.boundary),
    };
  }

  open(directory?: string): DxProject {
    const start = directory ? this.contain(directory) : this.boundary;
    const root = findDxProjectRoot(start, this.boundary);
    if (!root || !isInside(root, this.boundary)) {
      throw new ToolError(
        `No Salesforce DX project (sfdx-project.json) at or above ${directory ? JSON.stringify(directory) : 'the server’s project folder'}.`,
        'Pass the directory of a DX project, or start the server with --project-dir set to one.',
        { kind: 'not-found' },
      );
    }
    let config: { packageDirectories?: { path: string; default?: boolean }[]; sourceApiVersion?: string };
    try {
      config = JSON.parse(readFileSync(join(root, 'sfdx-project.json'), 'utf8'));
    } catch (error) {
      throw new ToolError(
        `${relative(this.boundary, join(root, 'sfdx-project.json'))} is not valid JSON: ${(error as Error).message}`,
        undefined,
        { kind: 'invalid' },
      );
    }
    const directories = [...(config.packageDirectories ?? [])].sort(
      (a, b) => Number(Boolean(b.default)) - Number(Boolean(a.default)),
    );
    return {
      root,
      packageDirectories: directories.map((entry) => this.contain(entry.path, root)),
      sourceApiVersion: config.sourceApiVersion,
      resolve: (path) => this.contain(path, root),
      writeFile: (path, content, options) => this.writeFile(path, root, content, options?.overwrite),
      createFile: (path, options) => this.createFile(path, root, options?.overwrite),
      makeDirectory: (path) => this.makeDirectory(path, root),
      removeFile: (path) => this.removeFile(path, root),
      assertNoLinks: (paths) => this.assertNoLinks(paths, root),
    };
  }
}
