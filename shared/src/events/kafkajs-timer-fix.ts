import { createRequire } from 'node:module'

/*
 * kafkajs 2.2.4 re-arms a timer with a negative delay whenever its request queue is empty and not
 * throttled; Node clamps that to 1 ms, so every broker connection spins a 1 ms timer loop forever
 * (about 4% of a core per idle client here, and a TimeoutNegativeWarning on Node 24).
 * https://github.com/tulios/kafkajs/issues/1751 — unfixed upstream. Skipping the schedule when
 * there is nothing pending and no throttle to wait out removes the loop; requests enqueued later
 * schedule their own check.
 */
interface RequestQueue {
  pending: unknown[]
  throttledUntil: number
  scheduleCheckPendingRequests(): void
}

const require = createRequire(import.meta.url)
const RequestQueue: { prototype: RequestQueue & { __starlingPatched?: boolean } } = require('kafkajs/src/network/requestQueue/index.js')

export function patchKafkajsTimerLoop() {
  const proto = RequestQueue.prototype
  if (proto.__starlingPatched) return
  const original = proto.scheduleCheckPendingRequests
  proto.scheduleCheckPendingRequests = function (this: RequestQueue) {
    if (this.pending.length === 0 && this.throttledUntil <= Date.now()) return
    original.call(this)
  }
  proto.__starlingPatched = true
}

export { RequestQueue as KafkajsRequestQueue }
