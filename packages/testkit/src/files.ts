import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

/** Every file under `root`, relative to it and sorted: to compare a project before and after a call. */
export function filesUnder(root: string): string[] {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else files.push(relative(root, path));
    }
  };
  walk(root);
  return files.sort();
}
