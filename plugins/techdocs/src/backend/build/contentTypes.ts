const TYPES: Record<string, string> = {
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  webp: 'image/webp',
  avif: 'image/avif',
  svg: 'image/svg+xml',
  ico: 'image/x-icon',
  pdf: 'application/pdf',
  txt: 'text/plain; charset=utf-8',
  csv: 'text/csv; charset=utf-8',
  json: 'application/json',
  yaml: 'text/plain; charset=utf-8',
  yml: 'text/plain; charset=utf-8',
  zip: 'application/zip',
  mp4: 'video/mp4',
  webm: 'video/webm',
  mp3: 'audio/mpeg',
};

/** Content type of a published file by extension; unknown types are served as downloads. */
export function contentTypeOf(p: string): string {
  const ext = /\.([a-z0-9]+)$/i.exec(p)?.[1]?.toLowerCase() ?? '';
  return TYPES[ext] ?? 'application/octet-stream';
}

/** Images the reader shows inline; everything else is sent as an attachment. */
export function isInlineType(contentType: string): boolean {
  return (
    /^image\/(png|jpeg|gif|webp|avif|svg\+xml|x-icon)$/.test(contentType) ||
    contentType === 'application/pdf' ||
    contentType.startsWith('video/') ||
    contentType.startsWith('audio/')
  );
}
