// The trivial handler every benchmark runs: Flint's instances and the bare server run exactly this code.
exports.handler = async () => ({ statusCode: 200, headers: { 'content-type': 'application/json' }, body: '{"ok":true}' });
