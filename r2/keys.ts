/**
 * Where things live in the R2 bucket. An upload streams straight to the key of
 * the file it would become, so completing it never copies bytes; duplicates
 * and freed files are deleted through D1's file_trash.
 */
export function fileObjectKey(fileId: string): string {
  return `media/${fileId}`;
}

/**
 * The edge-cache key of a file: its download path without the query, so
 * every signed link to the same file shares one cached copy.
 */
export function edgeCacheKey(origin: string, fileId: string): string {
  return `${origin}/v1/files/${fileId}`;
}
