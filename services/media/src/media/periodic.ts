/**
 * A job run every `everyMs` in this process, one run at a time: a run that takes longer than the
 * interval delays the next rather than overlapping it. Two workers running it is safe when the job
 * is (the sweep's rows are taken with SKIP LOCKED). Written here rather than taken from a scheduler
 * library: a timer and a flag are all it needs.
 */
export function periodic(everyMs: number, job: () => Promise<void>, onError: (error: Error) => void) {
  let timer: NodeJS.Timeout | undefined
  let running: Promise<void> | undefined
  const run = () => {
    running = job().catch(onError).finally(() => {
      running = undefined
      if (timer) timer = setTimeout(run, everyMs)
    })
  }
  return {
    start() {
      timer = setTimeout(run, everyMs)
    },
    /** Stops scheduling runs and waits for one in progress. */
    async stop() {
      clearTimeout(timer)
      timer = undefined
      await running
    },
  }
}
