// Gateway helpers for nginx (njs): who is calling, for rate limits, and the merged API reference.

// The `sub` claim of a Bearer token, to key rate limits per user. The signature is NOT checked
// here (the services do that); a forged token gets a 401 upstream, and the per-IP limits still apply.
function tokenSubject(r) {
  var header = r.headersIn.Authorization || '';
  var match = /^Bearer [A-Za-z0-9_-]+\.([A-Za-z0-9_-]+)\.[A-Za-z0-9_-]*$/.exec(header);
  if (!match) return '';
  try {
    var claims = JSON.parse(Buffer.from(match[1], 'base64url').toString());
    return typeof claims.sub === 'string' && /^[0-9]{1,20}$/.test(claims.sub) ? claims.sub : '';
  } catch (e) {
    return '';
  }
}

var SERVICES = ['user', 'tweet', 'follower', 'timeline', 'search', 'notification', 'dm'];

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

export default { tokenSubject, openapi };
