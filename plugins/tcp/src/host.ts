// Host names and IP addresses as the tcp plugin accepts them, checked with the WHATWG URL parser
// (present in Node and in browsers alike) so the manifest stays importable by the workbench.

/** RFC 1123 labels, plus `_` which Windows NetBIOS names allow. */
const HOSTNAME =
  /^(?=.{1,253}$)[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?(?:\.[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?)*$/;

/** True for a host name, an IPv4 address in dotted-quad form, or an IPv6 address without brackets. */
export function isHostOrIp(host: string): boolean {
  try {
    // only IPv6 characters: the URL parser alone would take `::1]/x` (it reads `[::1]` and a path)
    if (host.includes(':')) return /^[0-9A-Fa-f:.]+$/.test(host) && Boolean(new URL(`http://[${host}]/`));
    // the URL parser reads numeric names as IPv4 and rewrites them ("10.1" is 10.0.0.1): a name
    // must come out unchanged, and "999.1.1.1" does not come out at all
    return HOSTNAME.test(host) && new URL(`http://${host}/`).hostname === host.toLowerCase();
  } catch {
    return false;
  }
}
