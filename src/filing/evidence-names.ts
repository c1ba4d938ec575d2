// Names for a case's evidence files inside its zip: the name the seller uploaded, made safe (no
// folders, no "..", no control or shell-hostile characters, bounded length) and unique within
// the case ("invoice.pdf", "invoice (2).pdf"), compared without case since Windows and macOS
// would otherwise overwrite one with the other on unpacking. Pure and deterministic.

const MAX_NAME = 100;

export function safeFileName(name: string): string {
  // Only the last path segment: "../../etc/passwd" and "C:\\x\\y.pdf" keep their file name.
  const base = name.split(/[\\/]/).pop() ?? '';
  const cleaned = base
    .normalize('NFC')
    .replace(/[^\p{L}\p{N} ._()-]+/gu, '_')
    .replace(/\s+/g, ' ')
    .replace(/^[.\s]+/, '')
    .replace(/[.\s]+$/, '');
  const name0 = cleaned === '' ? 'file' : cleaned;
  if (name0.length <= MAX_NAME) return name0;
  const dot = name0.lastIndexOf('.');
  const ext = dot > 0 && name0.length - dot <= 10 ? name0.slice(dot) : '';
  return `${name0.slice(0, MAX_NAME - ext.length)}${ext}`;
}

/** Each file's name in the zip, by file id, in the order given; the first of equal names keeps it. */
export function evidenceEntryNames(files: ReadonlyArray<{ fileId: string; filename: string }>): Map<string, string> {
  const taken = new Set<string>();
  const names = new Map<string, string>();
  for (const f of files) {
    if (names.has(f.fileId)) continue;
    const safe = safeFileName(f.filename);
    const dot = safe.lastIndexOf('.');
    const [stem, ext] = dot > 0 ? [safe.slice(0, dot), safe.slice(dot)] : [safe, ''];
    let name = safe;
    for (let n = 2; taken.has(name.toLowerCase()); n++) name = `${stem} (${n})${ext}`;
    taken.add(name.toLowerCase());
    names.set(f.fileId, name);
  }
  return names;
}
