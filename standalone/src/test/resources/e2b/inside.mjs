// Inside a sandbox through the official SDK, unchanged: commands (output, exit codes, streaming,
// background, stdin, connect, kill) and files (write, read, list), all served by Sandbar's
// /e2b/sandbox. Prints one JSON document of what the SDK answered.
// Environment: E2B_API_URL, E2B_SANDBOX_URL, E2B_API_KEY.
import { Sandbox, CommandExitError } from 'e2b'

const out = {}

async function attempt(call) {
  try {
    return { value: await call() }
  } catch (e) {
    return { error: { className: e?.constructor?.name, message: String(e?.message) } }
  }
}

const sandbox = await Sandbox.create({ metadata: { suite: 'e2b-sdk-inside' }, timeoutMs: 600_000 })
out.sandboxId = sandbox.sandboxId
try {
  const run = await sandbox.commands.run('echo hello; echo oops >&2')
  out.run = { stdout: run.stdout, stderr: run.stderr, exitCode: run.exitCode }

  try {
    await sandbox.commands.run('echo partial; echo bad >&2; exit 7')
    out.nonZero = { raised: false }
  } catch (e) {
    out.nonZero = {
      raised: true,
      isCommandExitError: e instanceof CommandExitError,
      exitCode: e.exitCode,
      stdout: e.stdout,
      stderr: e.stderr,
    }
  }

  const env = await sandbox.commands.run('echo "$GREETING from $(pwd)"', {
    envs: { GREETING: 'hi' },
    cwd: '/tmp',
  })
  out.env = env.stdout

  // onStdout sees the first line while the command still runs: the marker the command writes
  // after its second line does not exist yet when the first line arrives.
  const marker = '/tmp/e2b-sdk-streamed'
  out.streamed = []
  await sandbox.commands.run(`echo first; sleep 3; echo second; touch ${marker}`, {
    onStdout: async (data) => {
      const probe = await sandbox.commands.run(`test -e ${marker} && echo ended || echo running`)
      out.streamed.push({ data, commandWas: probe.stdout.trim() })
    },
  })

  const background = await sandbox.commands.run('sleep 2; echo background done', { background: true })
  const listed = await sandbox.commands.list()
  out.background = {
    pid: background.pid,
    listed: listed.some((p) => p.pid === background.pid),
    listedCmd: listed.find((p) => p.pid === background.pid)?.cmd,
  }
  const reattached = await sandbox.commands.connect(background.pid)
  const waited = await background.wait()
  const reattachedResult = await reattached.wait()
  out.background.stdout = waited.stdout
  out.background.exitCode = waited.exitCode
  out.background.reattachedStdout = reattachedResult.stdout

  const cat = await sandbox.commands.run('cat', { background: true, stdin: true })
  await cat.sendStdin('piped through stdin\n')
  await cat.closeStdin()
  out.stdin = (await cat.wait()).stdout

  const sleeper = await sandbox.commands.run('sleep 300', { background: true })
  out.kill = { killed: await sandbox.commands.kill(sleeper.pid) }
  out.kill.wait = await attempt(() => sleeper.wait())
  out.kill.killedAgain = await sandbox.commands.kill(sleeper.pid)

  out.write = await sandbox.files.write('/data/sdk/hello.txt', 'hello from the sdk')
  await sandbox.files.write('/data/sdk/nested/deeper.txt', 'deeper')
  out.read = await sandbox.files.read('/data/sdk/hello.txt')
  out.list = (await sandbox.files.list('/data/sdk')).map((e) => ({
    name: e.name,
    type: e.type,
    path: e.path,
    size: e.size,
  }))
  out.exists = await sandbox.files.exists('/data/sdk/nested/deeper.txt')
  out.madeAgain = await sandbox.files.makeDir('/data/sdk/nested')
  out.readMissing = await attempt(() => sandbox.files.read('/data/sdk/missing.txt'))
  out.readEscape = await attempt(() => sandbox.files.read('/proc/self/environ'))
  out.pty = await attempt(() => sandbox.pty.create({ cols: 80, rows: 24 }))

  // Numbers to print, not to assert: a trivial command's round trip, and an 8 MiB file each way
  // (a string, so the SDK sends it as multipart/form-data).
  const runs = []
  for (let i = 0; i < 5; i++) {
    const started = performance.now()
    await sandbox.commands.run('true')
    runs.push(Math.round(performance.now() - started))
  }
  const big = 'x'.repeat(8 * 1024 * 1024)
  let started = performance.now()
  await sandbox.files.write('/data/sdk-big/big.txt', big)
  const writeMs = Math.round(performance.now() - started)
  started = performance.now()
  const back = await sandbox.files.read('/data/sdk-big/big.txt')
  const readMs = Math.round(performance.now() - started)
  out.timings = { runTrueMs: runs, write8MiBMs: writeMs, read8MiBMs: readMs }
  out.bigRoundTrip = back === big
} finally {
  await sandbox.kill()
}

console.log(JSON.stringify(out))
