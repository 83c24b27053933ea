import fs from 'node:fs'
import path from 'node:path'
import { stack } from '../config.ts'
import { run } from '../process.ts'
import { webRoot } from './nginx.ts'

const webDir = path.join(stack.root, 'web')

/** The newest modification time among the files a build reads (sources, pages, config, manifest). */
function newestSource(dir = webDir): number {
  let newest = 0
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'dist' || entry.name === 'node_modules') continue
    const file = path.join(dir, entry.name)
    newest = Math.max(newest, entry.isDirectory() ? newestSource(file) : fs.statSync(file).mtimeMs)
  }
  return newest
}

const builtAt = () => {
  try {
    return fs.statSync(path.join(webRoot, 'index.html')).mtimeMs
  } catch {
    return 0
  }
}

/** Builds the web client (web/, `vite build`) into nginx's WEB_ROOT when a source is newer than the build. */
export function buildWebClient(): 'built' | 'current' {
  if (builtAt() > newestSource()) return 'current'
  run(process.execPath, [path.join(stack.root, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--logLevel', 'warn'], { cwd: webDir })
  return 'built'
}
