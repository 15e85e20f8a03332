// Request/response over a WebSocket with numeric ids, as both CDP and WebDriver BiDi speak it.
// `failure(msg)` says whether a reply is an error and what it says (the protocols differ).
export function rpcOverWebSocket(ws, failure) {
  let next = 0;
  const pending = new Map();
  ws.on('message', (data) => {
    const msg = JSON.parse(data);
    const p = msg.id !== undefined && pending.get(msg.id);
    if (!p) return;
    pending.delete(msg.id);
    const error = failure(msg);
    if (error) p.reject(new Error(`${p.method}: ${error}`));
    else p.resolve(msg.result);
  });
  return (method, params = {}, extra = {}) => new Promise((resolve, reject) => {
    const id = ++next;
    pending.set(id, { resolve, reject, method });
    ws.send(JSON.stringify({ id, method, params, ...extra }));
  });
}
