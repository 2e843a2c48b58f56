// Request paths as they may be logged: query parameters that carry credentials are masked. An OAuth redirect
// (`?code=…&state=…`), a disconnect hook (`?signature=…`) or a client that puts its key in the query would
// otherwise write a usable credential into every log line of the request.
const SENSITIVE = /code|state|token|secret|password|passwd|key|signature|auth|session/i;

export function safePath(url: string): string {
  const q = url.indexOf('?');
  if (q < 0) return url;
  const params = new URLSearchParams(url.slice(q + 1));
  let masked = false;
  for (const name of new Set(params.keys())) {
    if (SENSITIVE.test(name)) {
      params.set(name, '***');
      masked = true;
    }
  }
  return masked ? `${url.slice(0, q)}?${params.toString()}` : url;
}
