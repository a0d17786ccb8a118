/**
 * The names outputs go by in stderr lines, the summary and the metrics,
 * made from their specs: never what could be secret (a URL's user,
 * password, query string or fragment).
 */

/**
 * An HTTP output's URL without what could be secret: no user and password,
 * no query string (an API key often rides there), no fragment.
 */
export function redactUrl(url: URL): string {
  return `${url.protocol}//${url.host}${url.pathname}`;
}

/** A NATS output's name: `nats://` and its servers' hosts, without credentials. */
export function natsName(servers: readonly string[]): string {
  const hosts = servers.map((server) => {
    try {
      return new URL(server).host;
    } catch {
      return server.replace(/^[a-z]+:\/\//i, "").replace(/^[^@/]*@/, "");
    }
  });
  return `nats://${hosts.join(",")}`;
}
