// GET /health: asks every service's /readyz through internal subrequests. 200 only when all are
// ready; 503 otherwise, saying which services are not ready (down, unreachable, not answering)
// and which are degraded (serving, with a dependency away: Kafka, an outbox's backlog).
const SERVICES = ['user', 'tweet', 'follower', 'timeline', 'search', 'notification', 'dm', 'media'];

async function aggregate(r) {
  const results = await Promise.all(SERVICES.map(function (name) {
    return r.subrequest('/_ready/' + name).then(function (reply) {
      var report = null;
      try { report = JSON.parse(reply.responseText); } catch (e) { report = null; }
      return { name: name, code: reply.status, report: report };
    }, function () {
      return { name: name, code: 0, report: null };
    });
  }));
  const services = {};
  const notReady = [];
  const degraded = {};
  results.forEach(function (result) {
    var report = result.report && result.report.checks ? result.report : null;
    var status = report ? report.status : 'unreachable';
    if (result.code !== 200 && status !== 'not_ready') status = report ? 'not_ready' : 'unreachable';
    services[result.name] = report ? { status: status, checks: report.checks } : { status: status };
    if (status === 'not_ready' || status === 'unreachable') notReady.push(result.name);
    if (status === 'degraded') {
      degraded[result.name] = Object.keys(report.checks).filter(function (check) { return report.checks[check].status === 'down'; });
    }
  });
  const status = notReady.length > 0 ? 'not_ready' : Object.keys(degraded).length > 0 ? 'degraded' : 'ready';
  const body = { status: status, not_ready: notReady, degraded: degraded, services: services };
  r.headersOut['Content-Type'] = 'application/json';
  r.headersOut['Cache-Control'] = 'no-store';
  r.return(status === 'ready' ? 200 : 503, JSON.stringify(body));
}

export default { aggregate };
