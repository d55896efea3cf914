/**
 * A URL's userinfo (`http://admin:s3cret@host`) is a credential. Wherever a URL may be
 * shown (a config error line, a log line, an error message a library built from the URL),
 * it goes through here first: `http://***@host`. It works on any text, because libraries
 * put the URL inside their own messages (`request to http://u:p@host/api failed`).
 */
const USERINFO = /\b([a-z][a-z0-9+.-]*:\/\/)[^\s/?#@]*@/gi;

export function withoutUserinfo(text: string): string {
  return text.replace(USERINFO, '$1***@');
}

/** Whether a URL carries a user or a password. */
export function hasUserinfo(url: string): boolean {
  try {
    const parsed = new URL(url);
    return parsed.username !== '' || parsed.password !== '';
  } catch {
    return false;
  }
}
