import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { stack } from './config.ts'
import { run, say, StackError } from './process.ts'

const installed = (pkg: string) => {
  try {
    return execFileSync('dpkg-query', ['-W', '-f=${Status}', pkg]).toString().includes('install ok installed')
  } catch {
    return false
  }
}

/** Installs missing Debian packages; needs root (the README says so). */
export function ensureAptPackages(packages: string[]) {
  const missing = packages.filter((p) => !installed(p))
  if (missing.length === 0) return
  if (process.getuid?.() !== 0) {
    throw new StackError(`missing Debian packages: ${missing.join(' ')}; install them (sudo apt-get install ${missing.join(' ')}) or run as root`)
  }
  say(`installing ${missing.join(', ')} with apt-get (first run only)...`)
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' }
  run('apt-get', ['update', '-qq'], { env })
  run('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...missing], { env })
}

/** The unprivileged account PostgreSQL and Elasticsearch run as (both refuse root). */
export function ensureStackUser() {
  try {
    execFileSync('id', ['-u', stack.user], { stdio: 'ignore' })
  } catch {
    if (process.getuid?.() !== 0) throw new StackError(`user ${stack.user} does not exist; create it or run as root once`)
    run('useradd', ['--system', '--user-group', '--no-create-home', '--shell', '/usr/sbin/nologin', stack.user])
  }
}

const canTraverse = (dir: string, user: string) => {
  try {
    execFileSync('runuser', ['-u', user, '--', 'test', '-x', dir], { stdio: 'ignore' })
    return true
  } catch {
    return false
  }
}

/**
 * Lets `user` (the stack user by default) reach `dir` when the checkout sits under a directory
 * only its owner may enter (a `mktemp -d`, a home directory). Grants passing through, for that
 * user only (an ACL entry `u:<user>:x`): never listing or reading.
 */
export function ensureStackUserReaches(dir: string, user = stack.user) {
  if (process.getuid?.() !== 0) return
  const ancestors: string[] = []
  for (let d = path.resolve(dir); ; d = path.dirname(d)) {
    ancestors.unshift(d)
    if (d === path.dirname(d)) break
  }
  for (const d of ancestors.filter((a) => fs.existsSync(a) && !canTraverse(a, user))) {
    say(`letting ${user} pass through ${d} (setfacl -m u:${user}:x)`)
    run('setfacl', ['-m', `u:${user}:x`, d])
  }
}

/** A directory the stack user owns (data of the servers that run as that user). */
export function ownedDir(dir: string) {
  fs.mkdirSync(dir, { recursive: true })
  if (process.getuid?.() === 0) run('chown', ['-R', `${stack.user}:${stack.user}`, dir])
  return dir
}

export function ensureDirs() {
  for (const dir of [stack.logs, stack.run, stack.data, stack.cache]) fs.mkdirSync(dir, { recursive: true })
  // The stack user must be able to write its own logs.
  if (process.getuid?.() === 0) fs.chmodSync(stack.logs, 0o1777)
  return path.relative(stack.root, stack.dir)
}
