import { describe, expect, it, vi } from 'vitest'
import { KafkajsRequestQueue, patchKafkajsTimerLoop } from './kafkajs-timer-fix.ts'

describe('kafkajs request queue timer', () => {
  it('is not re-armed when nothing is pending and nothing is throttled', () => {
    patchKafkajsTimerLoop()
    const setTimeoutSpy = vi.spyOn(globalThis, 'setTimeout')
    const queue = Object.assign(Object.create(KafkajsRequestQueue.prototype), { pending: [], throttledUntil: -1, throttleCheckTimeoutId: null })
    queue.scheduleCheckPendingRequests()
    expect(setTimeoutSpy).not.toHaveBeenCalled()
    setTimeoutSpy.mockRestore()
  })

  it('is still armed while requests are pending', () => {
    patchKafkajsTimerLoop()
    const queue = Object.assign(Object.create(KafkajsRequestQueue.prototype), { pending: [{}], throttledUntil: -1, throttleCheckTimeoutId: null, checkPendingRequests: () => {} })
    queue.scheduleCheckPendingRequests()
    expect(queue.throttleCheckTimeoutId).not.toBeNull()
    clearTimeout(queue.throttleCheckTimeoutId)
  })
})
