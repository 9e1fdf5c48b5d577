import { ToolError, excerpt } from '@sfmcp/plugin-api';

/**
 * Validation of every branch name, remote URL and repository path before it reaches git.
 * The values come from the model, from DevOps Center records and from users' pastes: hostile input
 * is expected, so the rules are stricter than git's own and every refusal names what is wrong.
 */

const MAX_BRANCH_LENGTH = 200;
const MAX_URL_LENGTH = 2048;
const MAX_PATH_LENGTH = 4096;

/** Names git itself keeps for special refs; a branch called so would shadow them. */
const RESERVED_NAMES = new Set(['HEAD', 'FETCH_HEAD', 'ORIG_HEAD', 'MERGE_HEAD', 'CHERRY_PICK_HEAD', '@']);

const CHARACTER_NAMES: Record<string, string> = {
  ' ': 'a space',
  '\t': 'a tab',
  '\n': 'a newline',
  '\r': 'a carriage return',
  '\0': 'a NUL byte',
  ';': "';' (a semicolon)",
  '|': "'|' (a pipe)",
  '&': "'&' (an ampersand)",
  $: "'$' (a dollar sign)",
  '`': "'`' (a backtick)",
  '<': "'<'",
  '>': "'>'",
  '(': "'('",
  ')': "')'",
  '{': "'{'",
  '}': "'}'",
  '[': "'['",
  ']': "']'",
  '*': "'*' (a wildcard)",
  '?': "'?' (a wildcard)",
  '!': "'!'",
  '~': "'~' (a tilde)",
  '^': "'^' (a caret)",
  ':': "':' (a colon)",
  '\\': "'\\' (a backslash)",
  '"': 'a double quote',
  "'": 'a single quote',
  '#': "'#'",
  '%': "'%'",
  '+': "'+'",
  '=': "'='",
  ',': "','",
  '@': "'@'",
};

/** How a message names a character: by its name, or by its code point when it has none. */
export function describeCharacter(char: string): string {
  const named = CHARACTER_NAMES[char];
  if (named) return named;
  const code = char.codePointAt(0) ?? 0;
  const hex = `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
  return code < 0x20 || code === 0x7f ? `a control character (${hex})` : `'${char}' (${hex})`;
}

/** A value as a message may quote it: cut short, with control characters made visible. */
function quote(value: string): string {
  return JSON.stringify(excerpt(value));
}

function invalid(message: string, hint?: string): ToolError {
  return new ToolError(message, hint, { kind: 'invalid' });
}

// eslint-disable-next-line no-control-regex
const CONTROL_CHARACTER = /[\u0000-\u001f\u007f]/;

/**
 * Checks a branch name (or a ref such as `origin/uat` or a commit id) against git's check-ref-format
 * rules and a stricter set of our own: only `[A-Za-z0-9._/-]`, no leading `-` or `/`, no `..`, `//`
 * or `@{`, no trailing `/`, `.` or `.lock`, no component starting with `.`, at most 200 characters,
 * not a name git reserves (`HEAD`). Returns the name unchanged.
 */
export function checkBranchName(name: string, what = 'branch'): string {
  if (typeof name !== 'string' || name.length === 0) {
    throw invalid(`The ${what} name is empty.`);
  }
  if (name.startsWith('-')) {
    throw invalid(
      `Refused the ${what} name ${quote(name)}: it starts with "-" (git would read it as an option).`,
    );
  }
  const offending = [...name].find((char) => !/[A-Za-z0-9._/-]/.test(char));
  if (offending !== undefined) {
    throw invalid(
      `Refused the ${what} name ${quote(name)}: it contains ${describeCharacter(offending)}.`,
      'Branch names may use letters, digits, ".", "_", "-" and "/" only.',
    );
  }
  if (name.length > MAX_BRANCH_LENGTH) {
    throw invalid(
      `Refused the ${what} name ${quote(name)}: it is longer than ${MAX_BRANCH_LENGTH} characters.`,
    );
  }
  const rule = branchRuleBroken(name);
  if (rule) throw invalid(`Refused the ${what} name ${quote(name)}: ${rule}.`);
  return name;
}

function branchRuleBroken(name: string): string | undefined {
  if (name.startsWith('/')) return 'it starts with "/"';
  if (name.endsWith('/')) return 'it ends with "/"';
  if (name.endsWith('.')) return 'it ends with "."';
  if (name.includes('..')) return 'it contains ".."';
  if (name.includes('//')) return 'it contains "//"';
  if (RESERVED_NAMES.has(name)) return 'git reserves that name';
  for (const component of name.split('/')) {
    if (component.startsWith('.')) return `its part ${JSON.stringify(component)} starts with "."`;
    if (component.endsWith('.lock')) return `its part ${JSON.stringify(component)} ends with ".lock"`;
  }
  return undefined;
}

export interface RemoteUrlOptions {
  /** Allow `file:///absolute/path` remotes (the local test org's repositories only). */
  allowFile: boolean;
}

/** Never part of a repository URL a host hands out; quoting and shell characters are refused outright. */
const UNSAFE_URL_CHARACTERS = new Set([' ', '"', "'", '`', '\\', '<', '>', '{', '}', '|', '^', ';', '$']);
const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);
const HOST = /^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*$/;
const SCP_LIKE = /^(?:([A-Za-z0-9._-]+)@)?([^/:@]+):(.*)$/;
const REPO_PATH_CHARACTERS = /^[A-Za-z0-9._~/%+@-]+$/;

/**
 * Checks a remote URL before git sees it. Accepts `https://host/path`, `ssh://[user@]host[:port]/path`,
 * scp-like `user@host:owner/repo.git`, `http://` to the loopback host only, and `file:///absolute/path`
 * only when `allowFile`. Refuses remote helpers (`ext::`, `fd::`, any `<transport>::`), option-like
 * values, credentials inside the URL and control characters. Returns the URL unchanged.
 */
export function checkRemoteUrl(url: string, options: RemoteUrlOptions): string {
  if (typeof url !== 'string' || url.trim().length === 0) throw invalid('The repository URL is empty.');
  const control = [...url].find((char) => CONTROL_CHARACTER.test(char));
  if (control !== undefined) {
    throw invalid(
      `Refused the repository URL ${quote(redactUrl(url))}: it contains ${describeCharacter(control)}.`,
    );
  }
  if (url.length > MAX_URL_LENGTH)
    throw invalid(`Refused the repository URL: it is longer than ${MAX_URL_LENGTH} characters.`);
  if (url.startsWith('-')) {
    throw invalid(
      `Refused the repository URL ${quote(redactUrl(url))}: it starts with "-" (git would read it as an option).`,
    );
  }
  const helper = /^([A-Za-z][A-Za-z0-9+.-]*)::/.exec(url);
  if (helper) {
    throw invalid(
      `Refused the repository URL: the "${helper[1]}::" form runs a git remote helper, which sfmcp never allows.`,
      'Use an https:// or ssh:// URL.',
    );
  }
  const unsafe = [...url].find((char) => UNSAFE_URL_CHARACTERS.has(char));
  if (unsafe !== undefined) {
    throw invalid(
      `Refused the repository URL ${quote(redactUrl(url))}: it contains ${describeCharacter(unsafe)}.`,
    );
  }
  if (/(^|\/)\.\.(\/|$)/.test(url)) {
    throw invalid(`Refused the repository URL ${quote(redactUrl(url))}: its path contains "..".`);
  }
  const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):\/\//.exec(url)?.[1]?.toLowerCase();
  if (scheme === undefined) return checkScpLike(url);
  if (scheme === 'file') return checkFileUrl(url, options);
  if (scheme !== 'https' && scheme !== 'http' && scheme !== 'ssh') {
    throw invalid(
      `Refused the repository URL ${quote(redactUrl(url))}: the "${scheme}://" transport is not supported.`,
      'Use an https:// or ssh:// URL.',
    );
  }
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw invalid(`The repository URL ${quote(redactUrl(url))} is not a valid URL.`);
  }
  if (parsed.password || (parsed.username && scheme !== 'ssh')) {
    // The user part of an https URL is where people paste tokens: never echo it.
    throw invalid(
      `Refused the repository URL ${quote(redactUrl(url))}: it carries credentials.`,
      "Remove the credentials from the URL; git's credential helper or an SSH key supplies them.",
    );
  }
  if (scheme === 'http' && !LOOPBACK_HOSTS.has(parsed.hostname)) {
    throw invalid(
      `Refused the repository URL ${quote(redactUrl(url))}: http:// sends everything in plain text.`,
      'Use the https:// URL of the repository.',
    );
  }
  const hostname = parsed.hostname;
  if (!hostname || (!hostname.startsWith('[') && !HOST.test(hostname))) {
    throw invalid(
      `Refused the repository URL ${quote(redactUrl(url))}: ${quote(hostname)} is not a host name.`,
    );
  }
  const path = decodeURIComponent(parsed.pathname);
  if (path === '/' || path === '') {
    throw invalid(`The repository URL ${quote(redactUrl(url))} names no repository (its path is empty).`);
  }
  if (path.split('/').includes('..')) {
    throw invalid(`Refused the repository URL ${quote(redactUrl(url))}: its path contains "..".`);
  }
  if (scheme === 'ssh' && parsed.username && !/^[A-Za-z0-9._-]+$/.test(parsed.username)) {
    throw invalid(`Refused the repository URL ${quote(redactUrl(url))}: the user name is not a plain name.`);
  }
  return url;
}

function checkScpLike(url: string): string {
  const match = SCP_LIKE.exec(url);
  if (!match) {
    throw invalid(
      `Refused the repository URL ${quote(url)}: it is neither an https://, ssh:// nor user@host:path URL.`,
      'Use the URL the repository host shows under "Clone".',
    );
  }
  const [, , host = '', path = ''] = match;
  if (url.startsWith('/') || url.startsWith('.')) {
    throw invalid(`Refused the repository URL ${quote(url)}: local paths are not remotes here.`);
  }
  if (!HOST.test(host)) {
    throw invalid(`Refused the repository URL ${quote(url)}: ${quote(host)} is not a host name.`);
  }
  if (path.startsWith('-')) {
    throw invalid(`Refused the repository URL ${quote(url)}: its path starts with "-".`);
  }
  if (path.length === 0 || path === '/') {
    throw invalid(`The repository URL ${quote(url)} names no repository (its path is empty).`);
  }
  const offending = [...path].find((char) => !REPO_PATH_CHARACTERS.test(char));
  if (offending !== undefined) {
    throw invalid(
      `Refused the repository URL ${quote(url)}: its path contains ${describeCharacter(offending)}.`,
    );
  }
  if (path.split('/').includes('..')) {
    throw invalid(`Refused the repository URL ${quote(url)}: its path contains "..".`);
  }
  return url;
}

function checkFileUrl(url: string, options: RemoteUrlOptions): string {
  if (!options.allowFile) {
    throw invalid(
      `Refused the repository URL ${quote(url)}: file:// repositories are allowed only for the local test org.`,
      'Use the https:// or ssh:// URL of the repository.',
    );
  }
  if (!url.startsWith('file:///')) {
    throw invalid(
      `Refused the repository URL ${quote(url)}: a file:// URL must name an absolute path (file:///…).`,
    );
  }
  const path = decodeURIComponent(url.slice('file://'.length));
  if (path.split('/').includes('..')) {
    throw invalid(`Refused the repository URL ${quote(url)}: its path contains "..".`);
  }
  return url;
}

/**
 * A URL as a message may show it: the password of `scheme://user:password@host`, the whole user part
 * of http(s) URLs (where tokens go) and any query string are replaced by `***`.
 */
export function redactUrl(url: string): string {
  return redactUrls(url);
}

/** Redacts every URL inside a text, such as git's stderr. */
export function redactUrls(text: string): string {
  return text
    .replace(/\b([A-Za-z][A-Za-z0-9+.-]*:\/\/)([^\s/@]*)@/g, (_match, scheme: string, userinfo: string) => {
      const http = /^https?:\/\/$/i.test(scheme);
      const colon = userinfo.indexOf(':');
      if (colon >= 0) return `${scheme}${http ? '***' : userinfo.slice(0, colon)}:***@`;
      return http ? `${scheme}***@` : `${scheme}${userinfo}@`;
    })
    .replace(/(\b[A-Za-z][A-Za-z0-9+.-]*:\/\/[^\s?]*)\?[^\s]*/g, '$1?***');
}

/**
 * Checks a path relative to the repository root, as git prints it (`force-app/main/default/classes/A.cls`):
 * not absolute, no `..` or `.` segments, no control characters, no leading `-`, nothing inside `.git`.
 * A trailing `/` (a directory) is allowed. Returns the path unchanged.
 */
export function checkRepoPath(path: string): string {
  if (typeof path !== 'string' || path.length === 0) throw invalid('The repository path is empty.');
  const control = [...path].find((char) => CONTROL_CHARACTER.test(char));
  if (control !== undefined) {
    throw invalid(`Refused the path ${quote(path)}: it contains ${describeCharacter(control)}.`);
  }
  if (path.length > MAX_PATH_LENGTH)
    throw invalid(`Refused the path: it is longer than ${MAX_PATH_LENGTH} characters.`);
  if (path.startsWith('/') || path.startsWith('\\') || /^[A-Za-z]:/.test(path)) {
    throw invalid(
      `Refused the path ${quote(path)}: it is absolute.`,
      'Pass a path relative to the repository root.',
    );
  }
  if (path.startsWith('-')) {
    throw invalid(`Refused the path ${quote(path)}: it starts with "-" (git would read it as an option).`);
  }
  if (path.includes('\\')) {
    throw invalid(`Refused the path ${quote(path)}: it contains "\\"; git paths use "/".`);
  }
  const segments = path.endsWith('/') ? path.slice(0, -1).split('/') : path.split('/');
  for (const segment of segments) {
    if (segment === '..') throw invalid(`Refused the path ${quote(path)}: it leaves the repository ("..").`);
    if (segment === '.' || segment === '') {
      throw invalid(
        `Refused the path ${quote(path)}: it is not written as git prints paths (empty or "." part).`,
      );
    }
    if (segment.toLowerCase() === '.git') {
      throw invalid(`Refused the path ${quote(path)}: it is inside git's own ".git" directory.`);
    }
  }
  return path;
}
