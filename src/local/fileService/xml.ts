export const xmlDeclaration = '<?xml version="1.0" encoding="utf-8"?>';

export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => {
    switch (ch) {
      case '&': return '&amp;';
      case '<': return '&lt;';
      case '>': return '&gt;';
      case '"': return '&quot;';
      default: return '&apos;';
    }
  });
}

// Characters XML 1.0 cannot carry at all (controls other than tab/newline/return, U+FFFE/U+FFFF, lone surrogates).
const notXmlChar = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * A `<Name>`-style element. Like Azure Files, a name XML can't carry is sent percent-encoded with
 * `Encoded="true"`; the SDK decodes it.
 */
export function nameElement(tag: string, name: string): string {
  if (notXmlChar.test(name)) {
    return `<${tag} Encoded="true">${escapeXml(encodeURIComponent(name))}</${tag}>`;
  }
  return `<${tag}>${escapeXml(name)}</${tag}>`;
}

export function element(tag: string, value: string | number | undefined): string {
  if (value === undefined) return '';
  return `<${tag}>${escapeXml(String(value))}</${tag}>`;
}

export function metadataElement(metadata: Record<string, string>): string {
  const entries = Object.entries(metadata);
  if (entries.length === 0) return '<Metadata />';
  return `<Metadata>${entries.map(([key, value]) => element(key, value)).join('')}</Metadata>`;
}

export function errorXml(code: string, message: string, requestId: string): string {
  const fullMessage = `${message}\nRequestId:${requestId}\nTime:${new Date().toISOString()}`;
  return `${xmlDeclaration}<Error><Code>${escapeXml(code)}</Code><Message>${escapeXml(fullMessage)}</Message></Error>`;
}
