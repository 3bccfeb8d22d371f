/** Where benchmarks find the repository and write their artefacts (bench/out/, git-ignored). */
import { existsSync, mkdirSync, readFileSync, realpathSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

let cachedRoot: string | null = null;

/**
 * The kfix repository root, found by walking up from this file: works both from the TypeScript
 * source (bench/lib) and from the compiled output (dist/bench/lib).
 */
export function repoRoot(): string {
  if (cachedRoot) return cachedRoot;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg)) {
      try {
        if ((JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'kfix') return (cachedRoot = dir);
      } catch {
        // not ours; keep walking
      }
    }
    const up = dirname(dir);
    if (up === dir) throw new Error('cannot find the kfix repository root (package.json named "kfix")');
    dir = up;
  }
}

/** bench/out under the repository root (created on demand) or the given directory. */
export function benchOutDir(override?: string): string {
  const dir = override ?? join(repoRoot(), 'bench', 'out');
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** The QuickFIX-format FIX 4.4 dictionary shared by every peer: <repo>/../shared/spec/FIX44.xml. */
export function fix44DictionaryPath(): string {
  return join(repoRoot(), '..', 'shared', 'spec', 'FIX44.xml');
}

/** True when this module runs from compiled JavaScript (dist/), false under tsx/vitest. */
export function runningCompiled(url: string = import.meta.url): boolean {
  return url.endsWith('.js');
}

/**
 * Command to run a sibling bench script as a separate node process: the compiled .js when we are
 * compiled, else the .ts source through tsx (so vitest can run the same code without a build).
 */
export function nodeScriptCommand(callerUrl: string, baseName: string): { command: string; args: string[] } {
  const dir = dirname(fileURLToPath(callerUrl));
  if (runningCompiled(callerUrl)) return { command: process.execPath, args: [join(dir, `${baseName}.js`)] };
  return { command: process.execPath, args: ['--import', 'tsx', join(dir, `${baseName}.ts`)] };
}

/** True when the module at `url` is the program node was started with (not imported by a test). */
export function isMainModule(url: string): boolean {
  const entry = process.argv[1];
  if (!entry) return false;
  try {
    return pathToFileURL(realpathSync(entry)).href === url;
  } catch {
    return false;
  }
}
