import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
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

  it('says when there is no DX project', () => {
    expect(() => new ProjectAccess(join(root, 'secrets')).open()).toThrow(/No Salesforce DX project/);
  });
});
