import { spawn } from 'node:child_process';
import { stat } from 'node:fs/promises';
import path from 'node:path';

/**
 * Builds the web app with Vite in a child process (never synchronously: the emulators share this
 * event loop). Resolves with the dist folder, or rejects with Vite's last lines of output.
 */
export async function buildWebApp(rootDir: string): Promise<string> {
  const webDir = path.join(rootDir, 'web');
  const dist = path.join(webDir, 'dist');
  await stat(path.join(webDir, 'package.json'));
  const output: string[] = [];
  await new Promise<void>((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [path.join(rootDir, 'node_modules', 'vite', 'bin', 'vite.js'), 'build'],
      {
        cwd: webDir,
        stdio: ['ignore', 'pipe', 'pipe'],
        env: { ...process.env, NO_COLOR: '1' },
      },
    );
    const keep = (chunk: Buffer) => output.push(...chunk.toString().split('\n').filter(Boolean));
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0 ? resolve() : reject(new Error(`vite build failed:\n${output.slice(-15).join('\n')}`)),
    );
  });
  return dist;
}
