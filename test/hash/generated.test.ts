import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain script without type declarations
import { generatedFiles } from '../../scripts/generate-sha256d.mjs';

const root = new URL('../../', import.meta.url);

describe('generated hashing cores', () => {
  it.each(Object.entries(generatedFiles() as Record<string, string>))(
    '%s is what scripts/generate-sha256d.mjs writes',
    (path, text) => {
      expect(readFileSync(new URL(path, root), 'utf8')).toBe(text);
    },
  );
});
