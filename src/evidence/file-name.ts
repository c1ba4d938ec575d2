// An uploaded file's name as Clario keeps and shows it: the name a seller's own computer gave it,
// minus what no file name needs and a page or a database must not be handed (control characters,
// NUL included, which PostgreSQL text cannot hold; the bidirectional overrides that make
// "invoice‮fdp.exe" read as something else), and at most MAX_NAME characters, its extension kept.

export const MAX_NAME = 255;

// C0 and C1 controls, DEL, and the bidirectional embeddings, overrides and isolates: matching
// control characters is this expression's purpose.
// eslint-disable-next-line no-control-regex
const HIDDEN = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

export function cleanFileName(raw: string): string {
  const name = raw.replace(HIDDEN, '_').trim();
  if (name === '') return 'upload';
  const chars = [...name];
  if (chars.length <= MAX_NAME) return name;
  const dot = name.lastIndexOf('.');
  const extension = dot > 0 && name.length - dot <= 16 ? name.slice(dot) : '';
  return chars.slice(0, MAX_NAME - [...extension].length).join('') + extension;
}
