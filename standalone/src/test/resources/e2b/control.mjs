// E2B's control plane through the official SDK, unchanged: create, getInfo, setTimeout, connect
// from a second client, list (metadata filter, paging), pause and connect, another tenant's key, a
// wrong key, an unsupported call, kill. Prints one JSON document of what the SDK answered.
// Environment: E2B_API_URL, E2B_SANDBOX_URL, E2B_API_KEY (the SDK's), E2B_OTHER_API_KEY (another
// tenant's key), RUN_TAG (a metadata value unique to this run).
import { Sandbox } from 'e2b'

const tag = process.env.RUN_TAG
const other = { apiKey: process.env.E2B_OTHER_API_KEY }
const out = {}

async function attempt(call) {
  try {
    return { value: await call() }
  } catch (e) {
    return { error: { name: e?.name, className: e?.constructor?.name, message: String(e?.message) } }
  }
}

const describe = (info) => ({
  ...info,
  startedAt: info.startedAt.toISOString(),
  endAt: info.endAt.toISOString(),
})

// A short timeout, after which the lifetime timer kills the sandbox.
const shortLived = await Sandbox.create({ metadata: { suite: 'e2b-sdk', run: `${tag}-short` }, timeoutMs: 5_000 })
out.shortLived = describe(await shortLived.getInfo())
// No timeout given: five minutes, as E2B documents.
const defaulted = await Sandbox.create({ metadata: { suite: 'e2b-sdk', run: `${tag}-default` } })
out.defaulted = describe(await defaulted.getInfo())
await defaulted.kill()

const createStarted = performance.now()
const sandbox = await Sandbox.create({
  metadata: { suite: 'e2b-sdk', run: tag },
  envs: { GREETING: 'hello from e2b' },
  timeoutMs: 600_000,
})
out.createMs = Math.round(performance.now() - createStarted)
out.sandboxId = sandbox.sandboxId
out.info = describe(await sandbox.getInfo())

out.beforeSetTimeout = new Date().toISOString()
await sandbox.setTimeout(1_800_000)
out.afterSetTimeout = describe(await sandbox.getInfo())

const secondClient = await Sandbox.connect(sandbox.sandboxId)
out.secondClient = { sandboxId: secondClient.sandboxId, info: describe(await secondClient.getInfo()) }

const companion = await Sandbox.create({ metadata: { suite: 'e2b-sdk', run: tag }, timeoutMs: 600_000 })
out.companionId = companion.sandboxId
const paginator = Sandbox.list({ query: { metadata: { run: tag } }, limit: 1 })
out.listPages = []
while (paginator.hasNext) {
  out.listPages.push((await paginator.nextItems()).map((s) => ({ sandboxId: s.sandboxId, state: s.state, metadata: s.metadata })))
}
out.listOfOtherRun = (await Sandbox.list({ query: { metadata: { run: `${tag}-none` } } }).nextItems()).length

out.paused = await sandbox.pause()
out.pausedAgain = await attempt(() => sandbox.pause())
out.stateWhilePaused = (await Sandbox.getInfo(sandbox.sandboxId)).state
out.listPausedOnly = (await Sandbox.list({ query: { metadata: { run: tag }, state: ['paused'] } }).nextItems()).map((s) => s.sandboxId)
const connectStarted = performance.now()
const resumed = await Sandbox.connect(sandbox.sandboxId)
out.connectResumeMs = Math.round(performance.now() - connectStarted)
out.stateAfterConnect = (await resumed.getInfo()).state

out.otherTenant = {
  getInfo: await attempt(() => Sandbox.getInfo(sandbox.sandboxId, other)),
  connect: await attempt(() => Sandbox.connect(sandbox.sandboxId, other)),
  setTimeout: await attempt(() => Sandbox.setTimeout(sandbox.sandboxId, 1000, other)),
  kill: await attempt(() => Sandbox.kill(sandbox.sandboxId, other)),
  list: await attempt(async () => (await Sandbox.list({ ...other, query: { metadata: { run: tag } } }).nextItems()).length),
}
out.wrongKey = {
  list: await attempt(() => Sandbox.list({ apiKey: 'sbk_not_a_key' }).nextItems()),
  create: await attempt(() => Sandbox.create({ apiKey: 'sbk_not_a_key' })),
}
out.unsupported = await attempt(() => sandbox.getMetrics())
out.badTemplate = await attempt(() => Sandbox.create('no-such-image-e2b-test'))
out.upperCaseMetadata = await attempt(() => Sandbox.create({ metadata: { userId: '7' } }))

out.killed = await sandbox.kill()
out.killedAgain = await Sandbox.kill(sandbox.sandboxId)
out.infoAfterKill = await attempt(() => Sandbox.getInfo(sandbox.sandboxId))
out.companionKilled = await companion.kill()

// Polled, not timed: the sandbox disappears once its lifetime has ended.
for (let i = 0; i < 240; i++) {
  out.shortLivedAfterTimeout = await attempt(() => Sandbox.getInfo(shortLived.sandboxId))
  if (out.shortLivedAfterTimeout.error) break
  await new Promise((resolve) => setTimeout(resolve, 500))
}

console.log(JSON.stringify(out))
