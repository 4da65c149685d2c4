/** A URL without query, fragment or credentials: the part that may appear in an error. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}${parsed.pathname}`;
  } catch {
    return url.replace(/\/\/[^/@\s]*@/, '//').replace(/[?#].*$/, '');
  }
}

/**
 * A stand-in for an error thrown while opening `url`, safe to surface: runtimes put the URL in
 * their messages (ws: "Invalid URL: <url>", browsers: "The URL '<url>' is invalid", Node's URL
 * errors keep it in `input`), and a protocol may have put the token in its query string.
 * Keeps name and message, with every URL's query and credentials removed; drops the rest.
 */
export function scrubError(cause: unknown, url: string): Error {
  let message: string;
  try {
    message = cause instanceof Error ? cause.message : String(cause);
  } catch {
    message = 'unprintable error';
  }
  const safe = new Error(
    message
      .split(url)
      .join(redactUrl(url))
      .replace(/([a-z][a-z0-9+.-]*:\/\/)[^/@\s'"]*@/gi, '$1')
      .replace(/(\w+:\/\/[^\s'"?#]*)[?#][^\s'"]*/g, '$1'),
  );
  safe.name = cause instanceof Error ? cause.name : 'Error';
  return safe;
}
