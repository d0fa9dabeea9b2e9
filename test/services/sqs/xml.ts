/** Tiny readers for the XML answers in tests: every text of an element, unescaped. */
export function texts(xml: string, element: string): string[] {
  const pattern = new RegExp(`<${element}>([\\s\\S]*?)</${element}>`, 'g');
  return [...xml.matchAll(pattern)].map((match) => unescape(match[1] ?? ''));
}

export function text(xml: string, element: string): string | undefined {
  return texts(xml, element)[0];
}

function unescape(value: string): string {
  return value
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&#xD;/g, '\r')
    .replace(/&amp;/g, '&');
}
