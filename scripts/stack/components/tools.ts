import fs from 'node:fs'
import path from 'node:path'
import { stack } from '../config.ts'
import { run, say } from '../process.ts'

/** Command-line tools the project builds from the Go module proxy (no prebuilt downloads here). */
export const goTools = {
  k6: 'go.k6.io/k6@v1.7.1',
  kustomize: 'sigs.k8s.io/kustomize/kustomize/v5@v5.8.2',
  // Pinned: @latest resolves to an old 2022 release. Its command is built as `server`.
  toxiproxy: 'github.com/Shopify/toxiproxy/v2/cmd/server@v2.12.0',
  // The S3-compatible object store (Apache-2.0).
  versitygw: 'github.com/versity/versitygw/cmd/versitygw@v1.8.0',
} as const

const binDir = path.join(stack.cache, 'bin')

/**
 * Returns the path of `name`, building it with `go install` the first time (minutes on 2 cores;
 * Go's module and build caches make later builds fast). The version is part of the file name, so
 * a version bump rebuilds.
 */
export function goTool(name: keyof typeof goTools): string {
  const module = goTools[name]
  const target = path.join(binDir, `${name}-${module.split('@')[1]}`)
  if (fs.existsSync(target)) return target
  say(`building ${name} from the Go module proxy (${module}; first run only)...`)
  const gobin = fs.mkdtempSync(path.join(stack.cache, `${name}-build-`))
  try {
    run('go', ['install', module], { env: { ...process.env, GOBIN: gobin, CGO_ENABLED: '0' } })
    fs.mkdirSync(binDir, { recursive: true })
    // `go install` names a binary after the last element of its package path (cmd/server: server).
    const built = module.split('@')[0]!.split('/').at(-1)!
    fs.renameSync(path.join(gobin, /^v\d+$/.test(built) ? module.split('@')[0]!.split('/').at(-2)! : built), target)
  } finally {
    fs.rmSync(gobin, { recursive: true, force: true })
  }
  return target
}

/** Command-line tools the project installs from PyPI, each into a virtualenv of its own. */
export const pythonTools = {
  schemathesis: 'schemathesis==4.32.5',
} as const

/**
 * Returns the path of `name`'s command, installing it into .stack/cache/<name>-<version> with
 * the machine's python3 and pip the first time (seconds; pip's cache makes it faster still).
 */
export function pythonTool(name: keyof typeof pythonTools): string {
  const requirement = pythonTools[name]
  const venv = path.join(stack.cache, `${name}-${requirement.split('==')[1]}`)
  // Written last: a virtualenv names its own path in its scripts, so it is built in place, and an
  // interrupted install is started over.
  const installed = path.join(venv, '.installed')
  if (!fs.existsSync(installed)) {
    say(`installing ${requirement} from PyPI (first run only)...`)
    fs.rmSync(venv, { recursive: true, force: true })
    run('python3', ['-m', 'venv', venv])
    run(path.join(venv, 'bin', 'pip'), ['install', '--quiet', '--disable-pip-version-check', requirement])
    fs.writeFileSync(installed, `${requirement}\n`)
  }
  return path.join(venv, 'bin', name)
}
