import type { ArtifactInfo } from './types.js';

/**
 * Whether downloaded bytes are the artifact the forge described: the size it
 * listed and, where it gives one, the digest (`sha256:HEX`). A mismatch is a
 * truncated or replaced download, never written out.
 */
export function artifactMismatch(artifact: ArtifactInfo, received: { bytes: number; sha256: string }): string | undefined {
  if (artifact.sizeInBytes > 0 && received.bytes !== artifact.sizeInBytes) {
    return `received ${received.bytes} bytes, the forge listed ${artifact.sizeInBytes}`;
  }
  if (artifact.digest) {
    const [algorithm, value] = artifact.digest.includes(':') ? artifact.digest.split(':', 2) : ['sha256', artifact.digest];
    if (algorithm!.toLowerCase() === 'sha256' && value!.toLowerCase() !== received.sha256.toLowerCase()) {
      return `digest sha256:${received.sha256} differs from the forge's ${artifact.digest}`;
    }
  }
  return undefined;
}

/**
 * Where a zip entry may be written, relative to the artifact's folder, or
 * undefined when it would escape it (`..`, an absolute path, a drive letter).
 */
export function safeEntryPath(name: string): string | undefined {
  const normal = name.replace(/\\/g, '/');
  if (normal.startsWith('/') || /^[a-zA-Z]:/.test(normal)) return undefined;
  const parts = normal.split('/').filter((part) => part !== '' && part !== '.');
  if (parts.length === 0 || parts.some((part) => part === '..')) return undefined;
  return parts.join('/');
}

/** A folder name from an artifact or job name: no separators, nothing hidden. */
export function safeName(name: string): string {
  const cleaned = name.replace(/[\\/:*?"<>|\0-\x1f]/g, '-').replace(/^\.+/, '').trim();
  return cleaned || 'artifact';
}
