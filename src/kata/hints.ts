/** Hints are the `## ` sections of a kata's hints.md, from a nudge to near-pseudo-code. */

export interface Hint {
  readonly title: string;
  readonly body: string;
}

export function parseHints(markdown: string): Hint[] {
  const hints: Hint[] = [];
  let current: { title: string; lines: string[] } | undefined;
  for (const line of markdown.split(/\r?\n/)) {
    const heading = /^## +(.+?)\s*$/.exec(line);
    if (heading) {
      if (current) hints.push({ title: current.title, body: current.lines.join('\n').trim() });
      current = { title: heading[1]!, lines: [] };
    } else {
      current?.lines.push(line);
    }
  }
  if (current) hints.push({ title: current.title, body: current.lines.join('\n').trim() });
  return hints;
}
