/**
 * Where the real servers are, for integration and end-to-end tests. scripts/test.ts exports these
 * after starting the stack; set them yourself to test against servers elsewhere.
 */
const required = (name: string) => {
  const value = process.env[name]
  if (!value) throw new Error(`${name} is not set: run the tests with \`npm test\`, which starts the stack and sets it`)
  return value
}

export const testEnv = {
  get gatewayUrl() { return required('GATEWAY_URL') },
  get kafkaBrokers() { return required('KAFKA_BROKERS').split(',') },
  /** Admin URL of the PostgreSQL server (database `postgres`); tests create their own databases. */
  get postgresUrl() { return required('POSTGRES_URL') },
  get redisUrl() { return required('REDIS_URL') },
  get elasticsearchUrl() { return required('ELASTICSEARCH_URL') },
  /** The stack's S3-compatible store (versitygw), addressed directly rather than through the gateway. */
  get objectStore() {
    return {
      endpoint: required('S3_ENDPOINT'), region: required('S3_REGION'), bucket: required('S3_BUCKET'),
      accessKeyId: required('S3_ACCESS_KEY_ID'), secretAccessKey: required('S3_SECRET_ACCESS_KEY'),
    }
  },
  /** The stack's signing key, to mint tokens the services must accept or reject. */
  get jwtPrivateKey() { return required('JWT_PRIVATE_KEY') },
  /** The stack's log files, and where each ended when the run began (scripts/test.ts). */
  get logsDir() { return required('STACK_LOGS') },
  get logOffsetsFile() { return required('STACK_LOG_OFFSETS') },
  /** Where fault cases record their figures (scripts/faults.ts). */
  get faultResultsFile() { return required('FAULT_RESULTS') },
  /** Where security checks record their figures, when the run collects them (scripts/test.ts). */
  get securityResultsFile(): string | undefined { return process.env.SECURITY_RESULTS || undefined },
  /** A service's own address (not through the gateway), e.g. for its /metrics. */
  serviceUrl(name: string) { return required(`${name.toUpperCase()}_SERVICE_URL`) },
  databaseUrl(database: string) {
    const url = new URL(this.postgresUrl)
    url.pathname = `/${database}`
    return url.toString()
  },
}
