import { isToolError } from '@sfmcp/plugin-api';
import { describe, expect, it } from 'vitest';
import {
  checkBranchName,
  checkRemoteUrl,
  checkRepoPath,
  redactUrl,
  redactUrls,
} from '../../src/lib/git-refs.js';

function refusal(run: () => unknown): { message: string; kind: string } {
  try {
    run();
  } catch (error) {
    if (isToolError(error)) return { message: error.message, kind: error.kind };
    throw error;
  }
  throw new Error('expected a ToolError');
}

describe('checkBranchName', () => {
  it('accepts the branch names DevOps Center and people use', () => {
    for (const name of [
      'main',
      'uat',
      'WI-000001',
      'feature/WI-000123_region',
      'release/2024.10',
      'origin/uat',
      'a1b2c3d',
    ]) {
      expect(checkBranchName(name)).toBe(name);
    }
  });

  it('names the shell character it refuses', () => {
    expect(refusal(() => checkBranchName('main;rm -rf ~')).message).toContain("';' (a semicolon)");
    expect(refusal(() => checkBranchName('$(id)')).message).toContain("'$' (a dollar sign)");
    expect(refusal(() => checkBranchName('a`id`')).message).toContain('backtick');
    expect(refusal(() => checkBranchName('a|b')).message).toContain('pipe');
    expect(refusal(() => checkBranchName('a&b')).message).toContain('ampersand');
    expect(refusal(() => checkBranchName('a b')).message).toContain('a space');
    expect(refusal(() => checkBranchName('a\nb')).message).toContain('a newline');
    expect(refusal(() => checkBranchName('a\0b')).message).toContain('a NUL byte');
    expect(refusal(() => checkBranchName('a"b')).message).toContain('double quote');
    expect(refusal(() => checkBranchName("a'b")).message).toContain('single quote');
    expect(refusal(() => checkBranchName('a:b')).message).toContain('colon');
    expect(refusal(() => checkBranchName('a\\b')).message).toContain('backslash');
    expect(refusal(() => checkBranchName('a~1')).message).toContain('tilde');
    expect(refusal(() => checkBranchName('a^')).message).toContain('caret');
    expect(refusal(() => checkBranchName('a*')).message).toContain('wildcard');
    expect(refusal(() => checkBranchName('é')).message).toContain('U+00E9');
  });

  it("applies git's ref rules and ours", () => {
    const cases: Array<[string, string]> = [
      ['--upload-pack=x', 'option'],
      ['-b', 'option'],
      ['/main', 'starts with "/"'],
      ['main/', 'ends with "/"'],
      ['main.', 'ends with "."'],
      ['a..b', '".."'],
      ['a//b', '"//"'],
      ['x.lock', '.lock'],
      ['feature/x.lock/y', '.lock'],
      ['.hidden', 'starts with "."'],
      ['feature/.x', 'starts with "."'],
      ['HEAD', 'reserves'],
      ['x'.repeat(201), 'longer than 200'],
      ['', 'empty'],
    ];
    for (const [name, reason] of cases) {
      const { message, kind } = refusal(() => checkBranchName(name));
      expect(message, name).toContain(reason);
      expect(kind).toBe('invalid');
    }
    expect(checkBranchName('x'.repeat(200))).toHaveLength(200);
  });

  it('says what the name is for', () => {
    expect(refusal(() => checkBranchName('a b', 'target branch')).message).toMatch(
      /^Refused the target branch name/,
    );
  });

  it('quotes a huge hostile value only in part', () => {
    const { message } = refusal(() => checkBranchName(`${'a'.repeat(5000)};`));
    expect(message.length).toBeLessThan(300);
  });
});

describe('checkRemoteUrl', () => {
  const remote = { allowFile: false };

  it('accepts https, ssh and scp-like URLs', () => {
    for (const url of [
      'https://github.com/acme/crm.git',
      'https://gitlab.example.com:8443/group/sub/repo',
      'ssh://git@github.com/acme/crm.git',
      'ssh://git@bitbucket.org:7999/acme/crm.git',
      'ssh://host.example/acme/crm',
      'git@github.com:acme/crm.git',
      'git@github.com:acme/crm',
      'http://127.0.0.1:8080/acme/crm.git',
      'http://localhost/acme/crm.git',
    ]) {
      expect(checkRemoteUrl(url, remote)).toBe(url);
    }
  });

  it('allows file:// only for the local test org', () => {
    expect(refusal(() => checkRemoteUrl('file:///tmp/repo.git', remote)).message).toContain('local test org');
    expect(checkRemoteUrl('file:///tmp/repo.git', { allowFile: true })).toBe('file:///tmp/repo.git');
    expect(refusal(() => checkRemoteUrl('file://host/tmp/repo.git', { allowFile: true })).message).toContain(
      'absolute path',
    );
    expect(refusal(() => checkRemoteUrl('/tmp/repo.git', { allowFile: true })).message).toContain('Refused');
    expect(refusal(() => checkRemoteUrl('../repo.git', { allowFile: true })).message).toContain('Refused');
  });

  it('refuses remote helpers and options', () => {
    expect(refusal(() => checkRemoteUrl('ext::sh -c touch% /tmp/pwned', remote)).message).toContain(
      '"ext::"',
    );
    expect(refusal(() => checkRemoteUrl('fd::17', remote)).message).toContain('"fd::"');
    expect(refusal(() => checkRemoteUrl('transport::https://x/y', remote)).message).toContain(
      'remote helper',
    );
    expect(refusal(() => checkRemoteUrl('--upload-pack=touch /tmp/x', remote)).message).toContain('option');
    expect(refusal(() => checkRemoteUrl('-oProxyCommand=x:y', remote)).message).toContain('option');
    expect(refusal(() => checkRemoteUrl('ssh://-oProxyCommand=x/y', remote)).message).toContain(
      'not a host name',
    );
    expect(refusal(() => checkRemoteUrl('git@host:-x', remote)).message).toContain('starts with "-"');
  });

  it('refuses credentials without repeating them', () => {
    for (const url of [
      'https://alice:s3cr3t-token@github.com/acme/crm.git',
      'https://ghp_s3cr3t-token@github.com/acme/crm.git',
      'ssh://git:s3cr3t-token@github.com/acme/crm.git',
    ]) {
      const { message } = refusal(() => checkRemoteUrl(url, remote));
      expect(message).toContain('credentials');
      expect(message).not.toContain('s3cr3t');
    }
  });

  it('refuses plain http except to this machine, other transports and control characters', () => {
    expect(refusal(() => checkRemoteUrl('http://github.com/acme/crm.git', remote)).message).toContain(
      'plain text',
    );
    expect(refusal(() => checkRemoteUrl('git://github.com/acme/crm.git', remote)).message).toContain(
      '"git://"',
    );
    expect(refusal(() => checkRemoteUrl('https://github.com/acme/crm\n.git', remote)).message).toContain(
      'newline',
    );
    expect(refusal(() => checkRemoteUrl('https://github.com/a\u0007', remote)).message).toContain(
      'control character',
    );
    expect(refusal(() => checkRemoteUrl('https://github.com/a b', remote)).message).toContain('a space');
    expect(refusal(() => checkRemoteUrl('git@github.com:acme/$(id)', remote)).message).toContain('dollar');
    expect(refusal(() => checkRemoteUrl('https://github.com/', remote)).message).toContain(
      'names no repository',
    );
    expect(refusal(() => checkRemoteUrl('https://github.com/a/../../b', remote)).kind).toBe('invalid');
    expect(refusal(() => checkRemoteUrl('', remote)).message).toContain('empty');
    expect(refusal(() => checkRemoteUrl('just-words', remote)).message).toContain('neither');
  });
});

describe('redactUrl', () => {
  it('hides passwords, tokens and query strings', () => {
    expect(redactUrl('https://alice:tok@github.com/a/b.git')).toBe('https://***:***@github.com/a/b.git');
    expect(redactUrl('https://ghp_tok@github.com/a/b.git')).toBe('https://***@github.com/a/b.git');
    expect(redactUrl('ssh://git:pw@host/a')).toBe('ssh://git:***@host/a');
    expect(redactUrl('ssh://git@host/a')).toBe('ssh://git@host/a');
    expect(redactUrl('https://host/a.git?access_token=tok')).toBe('https://host/a.git?***');
    expect(redactUrl('git@github.com:acme/crm.git')).toBe('git@github.com:acme/crm.git');
  });

  it('redacts URLs inside git messages', () => {
    expect(redactUrls("fatal: unable to access 'https://bob:hunter2@host/r.git/': 403")).toBe(
      "fatal: unable to access 'https://***:***@host/r.git/': 403",
    );
  });
});

describe('checkRepoPath', () => {
  it('accepts paths as git prints them', () => {
    for (const path of [
      'force-app/main/default/classes/A.cls',
      'sfdx-project.json',
      'force-app/main/default/lwc/card/',
      'docs/a file with spaces.md',
      'force-app/main/default/staticresources/logo.png',
      '.forceignore',
      'a/.hidden/b',
    ]) {
      expect(checkRepoPath(path)).toBe(path);
    }
  });

  it('refuses paths that leave the repository or reach into .git', () => {
    const cases: Array<[string, string]> = [
      ['/etc/passwd', 'absolute'],
      ['C:/x', 'absolute'],
      ['\\\\server\\share', 'absolute'],
      ['../x', '".."'],
      ['a/../../x', '".."'],
      ['a/./b', '"."'],
      ['a//b', 'empty'],
      ['.git/config', '".git"'],
      ['sub/.GIT/hooks/pre-commit', '".git"'],
      ['-x', 'option'],
      ['a\0b', 'NUL'],
      ['a\nb', 'newline'],
      ['a\\b', '"\\"'],
      ['', 'empty'],
    ];
    for (const [path, reason] of cases) {
      const { message, kind } = refusal(() => checkRepoPath(path));
      expect(message, path).toContain(reason);
      expect(kind).toBe('invalid');
    }
  });
});
