// GET /health: asks every service's /readyz through internal subrequests and answers 200 when all
// are ready, 503 naming those that are not.
const SERVICES = ['user', 'tweet', 'follower', 'timeline', 'search', 'notification', 'dm'];

async function aggregate(r) {
  const results = await Promise.all(SERVICES.map(function (name) {
    return r.subrequest('/_ready/' + name).then(function (reply) {
      var report = null;
      try { report = JSON.parse(reply.responseText); } catch (e) { report = null; }
      return { name: name, ready: reply.status === 200, report: report };
    }, function () {
      return { name: name, ready: false, report: null };
    });
  }));
  const services = {};
  const notReady = [];
  results.forEach(function (result) {
    services[result.name] = result.report && result.report.checks
      ? { status: result.ready ? 'ready' : 'not_ready', checks: result.report.checks }
      : { status: result.ready ? 'ready' : 'unreachable' };
    if (!result.ready) notReady.push(result.name);
  });
  const body = { status: notReady.length === 0 ? 'ready' : 'not_ready', not_ready: notReady, services: services };
  r.headersOut['Content-Type'] = 'application/json';
  r.headersOut['Cache-Control'] = 'no-store';
  r.return(notReady.length === 0 ? 200 : 503, JSON.stringify(body));
}

export default { aggregate };
