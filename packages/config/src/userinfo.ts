// Userinfo (`http://admin:s3cret@host`) is a credential. This works on any text, because libraries
// put the URL inside their own messages (`request to http://u:p@host/api failed`).
const USERINFO = /\b([a-z][a-z0-9+.-]*:\/\/)[^\s/?#@]*@/gi;

export function withoutUserinfo(text: string): string {
  return text.replace(USERINFO, '$1***@');
}

export function hasUserinfo(url: string): boolean {
  try {
    const parsed = new URL(url);
    return parsed.username !== '' || parsed.password !== '';
  } catch {
    return false;
  }
}
