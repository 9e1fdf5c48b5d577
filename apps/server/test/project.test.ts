import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  realpathSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ProjectAccess } from '../src/project.js';

function makeProject() {
  const root = mkdtempSync(join(tmpdir(), 'project-'));
  const project = join(root, 'proj');
  mkdirSync(join(project, 'force-app', 'main'), { recursive: true });
  writeFileSync(
    join(project, 'sfdx-project.json'),
    JSON.stringify({ packageDirectories: [{ path: 'force-app', default: true }], sourceApiVersion: '62.0' }),
  );
  mkdirSync(join(root, 'secrets'));
  writeFileSync(join(root, 'secrets', 'key.txt'), 'x');
  symlinkSync(join(root, 'secrets'), join(project, 'sneaky'));
  return { root, project };
}

describe('ProjectAccess', () => {
  const { root, project } = makeProject();

  it('finds the DX project from a folder inside it', () => {
    const access = new ProjectAccess(join(project, 'force-app'));
    const dx = access.open();
    expect(dx.root).toBe(project);
    expect(dx.packageDirectories).toEqual([join(project, 'force-app')]);
    expect(dx.sourceApiVersion).toBe('62.0');
  });

  it('resolves paths inside the project, including files not yet written', () => {
    const dx = new ProjectAccess(project).open();
    expect(dx.resolve('force-app/main/classes/New.cls')).toBe(
      join(project, 'force-app', 'main', 'classes', 'New.cls'),
    );
  });

  it.each(['../secrets/key.txt', '/etc/passwd', 'sneaky/key.txt', 'force-app/../../secrets'])(
    'refuses %s',
    (path) => {
      const dx = new ProjectAccess(project).open();
      expect(() => dx.resolve(path)).toThrow(/is outside the project/);
    },
  );

  it('refuses a directory argument outside the project', () => {
    expect(() => new ProjectAccess(project).open(root)).toThrow(/outside the project/);
  });

  it('gives a workspace of a folder that is not a DX project, with paths checked to stay in it', async () => {
    const workspace = new ProjectAccess(root).workspace();
    expect(workspace.root).toBe(realpathSync(root));
    // A clone's destination: not yet there, and no sfdx-project.json anywhere above it.
    expect(workspace.resolve('clones/acme')).toBe(join(realpathSync(root), 'clones', 'acme'));
    expect(() => workspace.resolve('../elsewhere')).toThrow(/is outside the project/);
    expect(() => workspace.resolve('/etc')).toThrow(/is outside the project/);
    await expect(workspace.assertNoLinks(['proj'])).rejects.toThrow(/symbolic link/);
    // Inside a DX project the workspace is the project: its boundary.
    expect(new ProjectAccess(join(project, 'force-app')).workspace().root).toBe(realpathSync(project));
  });

  it('says when there is no DX project', () => {
    expect(() => new ProjectAccess(join(root, 'secrets')).open()).toThrow(/No Salesforce DX project/);
  });
});

describe('project writes never go through a symbolic link', () => {
  function fresh() {
    const made = makeProject();
    return { ...made, dx: new ProjectAccess(made.project).open() };
  }
  const outsideFiles = (root: string) => readdirSync(join(root, 'secrets')).sort();

  it('writes a file, creating its folders, and refuses to overwrite unless asked', async () => {
    const { project, dx } = fresh();
    const written = await dx.writeFile('manifest/package.xml', '<Package/>');
    expect(written).toBe(join(project, 'manifest', 'package.xml'));
    expect(readFileSync(written, 'utf8')).toBe('<Package/>');
    await expect(dx.writeFile('manifest/package.xml', 'again')).rejects.toThrow(
      /Refused: manifest\/package.xml already exists/,
    );
    await dx.writeFile('manifest/package.xml', 'again', { overwrite: true });
    expect(readFileSync(written, 'utf8')).toBe('again');
    expect(readdirSync(join(project, 'manifest'))).toEqual(['package.xml']); // no temporary files left
  });

  it('refuses a folder symlink on the way, and writes nothing outside', async () => {
    const { root, dx } = fresh();
    await expect(dx.writeFile('sneaky/planted.txt', 'x')).rejects.toThrow(
      /Refused: sneaky is a symbolic link/,
    );
    expect(outsideFiles(root)).toEqual(['key.txt']);
  });

  it('refuses a dangling file symlink at the target', async () => {
    const { root, project, dx } = fresh();
    symlinkSync(join(root, 'secrets', 'new.txt'), join(project, 'force-app', 'dangling.txt'));
    await expect(dx.writeFile('force-app/dangling.txt', 'x', { overwrite: true })).rejects.toThrow(
      /Refused: force-app\/dangling.txt is a symbolic link/,
    );
    expect(outsideFiles(root)).toEqual(['key.txt']);
  });

  it('is not fooled by a planted <target>.partial link', async () => {
    const { root, project, dx } = fresh();
    symlinkSync(join(root, 'secrets', 'stolen.csv'), join(project, 'export.csv.partial'));
    await dx.writeFile('export.csv', 'a,b');
    expect(readFileSync(join(project, 'export.csv'), 'utf8')).toBe('a,b');
    expect(outsideFiles(root)).toEqual(['key.txt']);
  });

  it('streams a file that appears only on commit, and leaves nothing when discarded', async () => {
    const { project, dx } = fresh();
    const file = await dx.createFile('out/data.csv');
    await file.write('a\n');
    await file.write(Buffer.from('b\n'));
    expect(existsSync(join(project, 'out', 'data.csv'))).toBe(false);
    await file.commit();
    expect(readFileSync(join(project, 'out', 'data.csv'), 'utf8')).toBe('a\nb\n');
    const dropped = await dx.createFile('out/dropped.csv');
    await dropped.write('x');
    await dropped.discard();
    expect(readdirSync(join(project, 'out'))).toEqual(['data.csv']);
  });

  it.each([
    ['a NUL byte', 'force-app/a\u0000b.txt', /NUL or control character/],
    ['a name over 255 bytes', `${'x'.repeat(300)}.csv`, /over 255 bytes/],
    ['a lone surrogate', 'a\ud800.txt', /unpaired UTF-16 surrogate/],
    ['a path outside', '../escape.txt', /is outside the project/],
    ['an absolute path outside', '/tmp/escape.txt', /is outside the project/],
  ])('refuses %s with a clear error that does not name the absolute path', async (_what, path, message) => {
    const { project, dx } = fresh();
    const error = await dx.writeFile(path, 'x').catch((caught: Error) => caught);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).not.toContain(project);
  });

  it('finds links under a folder a library will write into', async () => {
    const { root, project, dx } = fresh();
    await expect(dx.assertNoLinks(['force-app'])).resolves.toBeUndefined();
    mkdirSync(join(project, 'force-app', 'main', 'default', 'classes'), { recursive: true });
    symlinkSync(join(root, 'secrets'), join(project, 'force-app', 'main', 'default', 'classes', 'x'));
    await expect(dx.assertNoLinks(['force-app'])).rejects.toThrow(
      /force-app\/main\/default\/classes\/x is a symbolic link/,
    );
  });

  it('makes folders and removes files it wrote, never following a link', async () => {
    const { root, project, dx } = fresh();
    expect(await dx.makeDirectory('force-app/main/default/objects')).toBe(
      join(project, 'force-app', 'main', 'default', 'objects'),
    );
    await expect(dx.makeDirectory('sneaky/inner')).rejects.toThrow(/sneaky is a symbolic link/);
    symlinkSync(join(root, 'secrets', 'key.txt'), join(project, 'link-to-key'));
    await dx.removeFile('link-to-key');
    expect(outsideFiles(root)).toEqual(['key.txt']);
  });
});
