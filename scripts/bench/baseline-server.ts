// The benchmark's baseline upstream: a minimal Fastify app answering the two routes the bench
// loads (a timeline page and a tweet write) with constant JSON, no auth, no storage. Prints its port.
import Fastify from 'fastify'

const app = Fastify({ logger: false })
app.get('/timelines/:user_id', async () => ({ items: [], next_cursor: null }))
app.post('/tweets/', async (_request, reply) => reply.code(201).send({ id: '1', text: 'baseline' }))
await app.listen({ host: '127.0.0.1', port: 0 })
const address = app.server.address()
process.stdout.write(`${typeof address === 'object' && address ? address.port : ''}\n`)
process.once('SIGTERM', () => void app.close().then(() => process.exit(0)))
