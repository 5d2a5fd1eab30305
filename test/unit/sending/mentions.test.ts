import { describe, expect, it } from 'vitest';
import { MAX_MENTIONS, mentionedUsernames } from '../../../services/sending/mentions.js';

describe('@usernames a text mentions', () => {
  it('finds them as Telegram writes them, lower-cased and once each', () => {
    expect(mentionedUsernames('hi @Alice_1 and @bob_smith, @ALICE_1 again')).toEqual(['alice_1', 'bob_smith']);
  });

  it('ignores e-mail addresses, too short names, names glued to words and a bare @', () => {
    expect(mentionedUsernames('mail me@example.com, @abc, x@someone_long, @ and @@double_at')).toEqual([]);
  });

  it(`keeps at most ${MAX_MENTIONS}`, () => {
    const text = Array.from({ length: 30 }, (_, i) => `@person_${i}`).join(' ');
    expect(mentionedUsernames(text)).toHaveLength(MAX_MENTIONS);
  });
});
