import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { About, DeviceInfo, DisplayName } from '../../../protocol/common.js';
import { InviteLinkName } from '../../../protocol/invites.js';
import { FileName } from '../../../protocol/media.js';
import { ChatTitle } from '../../../protocol/messages.js';

/** Every schema of text shown to others as a name. */
const names = {
  DisplayName,
  ChatTitle,
  FileName,
  'DeviceInfo.name': DeviceInfo.shape.name,
  InviteLinkName,
};
const FORBIDDEN = ['\u0000', '\u0007', '\u001b', '\u007f', '\u0085', '\u200b', '\u2060', '\ufeff', '\u202a', '\u202b', '\u202c', '\u202d', '\u202e', '\u2066', '\u2067', '\u2068', '\u2069'];

describe('names shown to others', () => {
  it.each(Object.entries(names))('%s refuses controls, bidi overrides and isolates and zero-width spaces', (_, schema) => {
    for (const ch of FORBIDDEN) {
      // At either end, what JavaScript counts as whitespace (the BOM) is trimmed away instead.
      const trimmedAtEnds = `${ch}`.trim() === '';
      for (const text of trimmedAtEnds ? [`Ali${ch}ce`] : [`Ali${ch}ce`, `${ch}Alice`, `Alice${ch}`]) {
        expect(schema.safeParse(text).success, JSON.stringify(text)).toBe(false);
      }
    }
  });

  it.each(Object.entries(names))('%s refuses text that renders blank', (_, schema) => {
    for (const blank of ['\u3164', '\u115f\u1160', '\u2800', ' \u200d ', '\uffa0', '\u200c']) {
      expect(schema.safeParse(blank).success, JSON.stringify(blank)).toBe(false);
    }
  });

  it.each(Object.entries(names))('%s keeps what real names use: accents, RTL scripts, joiners inside emoji and words', (_, schema) => {
    for (const text of ['Zoë Ångström', 'דוד', 'محمد', 'می‌خواهم', '👨‍👩‍👧 family', 'Ｔｅｓｔ', '李小龍']) {
      expect(schema.safeParse(text).success, text).toBe(true);
    }
  });

  it('a bio may be empty (it clears the bio) but never hides characters', () => {
    expect(About.safeParse('').success).toBe(true);
    expect(About.safeParse('hi\u202eereht').success).toBe(false);
  });

  it('any text with a forbidden character inside it is refused by every name schema (property)', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 20 }), fc.constantFrom(...FORBIDDEN), fc.string({ maxLength: 20 }), (before, ch, after) => {
        for (const schema of Object.values(names)) expect(schema.safeParse(`${before}x${ch}y${after}`).success).toBe(false);
      }),
    );
  });
});
