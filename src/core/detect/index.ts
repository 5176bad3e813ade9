/** The secret-detection engine: pure functions over text and a compiled policy. */
export { createDetector, DetectionError, GENERIC_TAG, LONG_LINE, type Detector } from './detector.js';
export { fingerprint, FINGERPRINT_PREFIX } from './fingerprint.js';
export { maskSecret } from './mask.js';
export { shannonEntropy } from './entropy.js';
export { checksumValid, crc32, encodeBase62 } from './checksum.js';
export { canSpanLines } from './regex-analysis.js';
export type * from './types.js';
export type { TextLike } from './text.js';
