// One benchmark measurement (npm run bench): home timeline reads, user timeline reads (OP=user-tweets:
// the tweets of one of the world's ordinary authors, AUTHORS) or tweet writes by one group of
// the bench world, either with a fixed number of virtual users and no pause (MODE=closed: how many
// requests per second it takes) or at a fixed arrival rate (MODE=rate: latency at that load).
import http from 'k6/http'
import { check } from 'k6'
import { SharedArray } from 'k6/data'

const BASE_URL = (__ENV.GATEWAY_URL || '').replace(/\/+$/, '')
if (!/^http:\/\/127\.0\.0\.1:\d+$/.test(BASE_URL)) throw new Error(`GATEWAY_URL=${BASE_URL}: the benchmark only targets 127.0.0.1`)
const OP = __ENV.OP
if (OP !== 'read' && OP !== 'write' && OP !== 'user-tweets') throw new Error('OP must be read, user-tweets or write')
const DURATION = __ENV.DURATION || '15s'
const VUS = Number(__ENV.VUS || 16)

// The accounts of one group of the world the bench built: [{id, token, cursor?}].
const actors = new SharedArray('actors', () => JSON.parse(open(__ENV.WORLD))[__ENV.GROUP])
const authors = OP === 'user-tweets' ? new SharedArray('authors', () => JSON.parse(open(__ENV.WORLD))[__ENV.AUTHORS]) : []

export const options = {
  scenarios: {
    bench: __ENV.MODE === 'rate'
      ? { executor: 'constant-arrival-rate', rate: Number(__ENV.RATE), timeUnit: '1s', duration: DURATION, preAllocatedVUs: VUS, maxVUs: VUS * 4 }
      : { executor: 'constant-vus', vus: VUS, duration: DURATION },
  },
  summaryTrendStats: ['avg', 'med', 'p(99)', 'max'],
  // Connections stay open between iterations, as a browser's or an app's would.
  noConnectionReuse: false,
}

export default function () {
  const actor = actors[Math.floor(Math.random() * actors.length)]
  const headers = { authorization: `Bearer ${actor.token}` }
  if (OP === 'user-tweets') {
    const author = authors[Math.floor(Math.random() * authors.length)]
    const res = http.get(`${BASE_URL}/users/${author.id}/tweets?limit=20`, { headers })
    check(res, { '200': (r) => r.status === 200 })
  } else if (OP === 'read') {
    // Actors of the page-depth groups carry the cursor of the page they read.
    const res = http.get(`${BASE_URL}/timelines/${actor.id}?limit=20${actor.cursor ? `&cursor=${actor.cursor}` : ''}`, { headers })
    check(res, { '200': (r) => r.status === 200 })
  } else {
    headers['content-type'] = 'application/json'
    const res = http.post(`${BASE_URL}/tweets/`, JSON.stringify({ text: `bench ${Math.random().toString(36).slice(2, 10)} #bench` }), { headers })
    check(res, { '201': (r) => r.status === 201 })
  }
}
