// Gateway helpers for nginx (njs): URLs fit for the logs, and the merged API reference.

// Query parameters whose values are secrets (shared/src/logging/logger.ts redacts the same in the services).
var SECRET_PARAMS = /([?&](?:access_token|refresh_token|id_token|token|password|secret|api_key|code)=)[^&#]*/gi;
function redact(url) { return url.replace(SECRET_PARAMS, '$1[redacted]'); }

// js_set: the request line and the Referer for the access log, secrets redacted.
function loggedRequest(r) { return r.method + ' ' + redact(r.variables.request_uri || '') + ' ' + (r.variables.server_protocol || ''); }
function loggedReferer(r) { return redact(r.headersIn.Referer || '-'); }

var SERVICES = ['user', 'tweet', 'follower', 'timeline', 'search', 'notification', 'dm', 'media'];

// GET /docs/openapi.json: the seven services' OpenAPI documents, generated from their route
// schemas, merged into one.
async function openapi(r) {
  var replies = await Promise.all(SERVICES.map(function (name) { return r.subrequest('/_openapi/' + name); }));
  var merged = {
    openapi: '3.1.0',
    info: { title: 'Starling API', version: '1', description: 'Every public endpoint behind the gateway. Errors are application/problem+json.' },
    servers: [{ url: '/' }],
    paths: {},
    components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } }, schemas: {} },
    tags: [],
  };
  var missing = [];
  replies.forEach(function (reply, i) {
    var doc = null;
    try { doc = reply.status === 200 ? JSON.parse(reply.responseText) : null; } catch (e) { doc = null; }
    if (!doc) { missing.push(SERVICES[i]); return; }
    merged.tags.push({ name: SERVICES[i], description: doc.info && doc.info.description });
    Object.keys(doc.paths || {}).forEach(function (path) {
      var item = doc.paths[path];
      Object.keys(item).forEach(function (method) { item[method].tags = [SERVICES[i]]; });
      merged.paths[path] = Object.assign(merged.paths[path] || {}, item);
    });
    Object.assign(merged.components.schemas, (doc.components && doc.components.schemas) || {});
  });
  if (missing.length > 0) merged.info['x-missing-services'] = missing;
  r.headersOut['Content-Type'] = 'application/json';
  r.return(200, JSON.stringify(merged));
}

export default { loggedRequest, loggedReferer, openapi };
