// swagger-ui-dist ships no types; these are the options docs.ts uses
// (https://swagger.io/docs/open-source-tools/swagger-ui/usage/configuration/).
declare module 'swagger-ui-dist/swagger-ui-es-bundle.js' {
  interface SwaggerUIOptions {
    domNode: HTMLElement
    url: string
    validatorUrl: string | null
    queryConfigEnabled?: boolean
    deepLinking?: boolean
    tryItOutEnabled?: boolean
    persistAuthorization?: boolean
    displayRequestDuration?: boolean
    filter?: boolean
    withCredentials?: boolean
    onComplete?: () => void
  }
  export default function SwaggerUI(options: SwaggerUIOptions): unknown
}
