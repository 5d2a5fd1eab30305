import { describe, expect, it } from 'vitest';
import { qrLoginUrl, tokenFromPasted } from '../../../services/auth/qr-login.js';

const TOKEN = 'Zx9_-abcdefghijklmnopqrstuvwxyz0123456789AB';

describe('QR login tokens as pasted', () => {
  it('takes the bare token or the QR code URL, with spaces around', () => {
    expect(tokenFromPasted(TOKEN)).toBe(TOKEN);
    expect(tokenFromPasted(`  ${qrLoginUrl(TOKEN)}\n`)).toBe(TOKEN);
  });

  it('refuses what is not a token', () => {
    for (const text of ['', 'short', `${TOKEN}!`, 'edgegram://login?token=', `https://evil.example/?token=${TOKEN}`, 'x'.repeat(129)]) {
      expect(tokenFromPasted(text), text).toBeNull();
    }
  });
});
