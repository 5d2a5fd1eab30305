import { describe, expect, it } from 'vitest';
import { ClientError } from '../../../client/errors.js';
import { EdgegramError, ErrorCode } from '../../../protocol/errors.js';
import { describeError } from '../../../web/src/lib/errors.js';

describe('describeError: what the web client tells a person, chosen by error code', () => {
  it('explains refused sign-ins and sign-ups', () => {
    expect(describeError(new EdgegramError(ErrorCode.INVALID_CREDENTIALS, 'x'), 'login')).toBe('Wrong username or password.');
    expect(describeError(new EdgegramError(ErrorCode.USERNAME_TAKEN, 'x'), 'signup')).toBe(
      'This username is already taken. Try another one.',
    );
    expect(describeError(new EdgegramError(ErrorCode.RATE_LIMITED, 'x', { retry_after: 42 }), 'login')).toBe(
      'Too many attempts. Try again in 42 s.',
    );
    expect(describeError(new EdgegramError(ErrorCode.RATE_LIMITED, 'x', { retry_after: 600 }), 'signup')).toBe(
      'Too many attempts. Try again in 10 minutes.',
    );
  });

  it('words the same code for its context', () => {
    const notFound = new EdgegramError(ErrorCode.NOT_FOUND, 'User not found');
    expect(describeError(notFound, 'username')).toBe('No one has this username.');
    expect(describeError(new EdgegramError(ErrorCode.FORBIDDEN, 'x'), 'group')).toContain('creator or admins');
  });

  it('explains a refused profile change: taken, invalid, too often', () => {
    expect(describeError(new EdgegramError(ErrorCode.USERNAME_TAKEN, 'x'), 'profile')).toBe('This username is already taken. Try another one.');
    expect(describeError(new EdgegramError(ErrorCode.USERNAME_INVALID, 'x'), 'profile')).toContain('do not end in “bot”');
    expect(describeError(new EdgegramError(ErrorCode.RATE_LIMITED, 'x', { retry_after: 120 }), 'profile')).toBe(
      'You have changed your profile too often. Try again in 2 minutes.',
    );
  });

  it('explains a refused second factor and a refused security change', () => {
    const wrong = new EdgegramError(ErrorCode.INVALID_CREDENTIALS, 'The password is wrong');
    expect(describeError(wrong, 'second-factor')).toBe('Wrong code, or it was already used. Enter the code your app shows now.');
    expect(describeError(wrong, 'security')).toBe('The password is wrong.');
    expect(describeError(new EdgegramError(ErrorCode.LOGIN_TOKEN_INVALID, 'x'), 'second-factor')).toBe(
      'This sign-in has expired. Enter your password again.',
    );
    expect(describeError(new EdgegramError(ErrorCode.RATE_LIMITED, 'x', { retry_after: 300 }), 'second-factor')).toBe(
      'Too many attempts. Try again in 5 minutes.',
    );
  });

  it('explains refused passkeys and login codes, and the browser cancelling a passkey', () => {
    expect(describeError(new EdgegramError(ErrorCode.INVALID_CREDENTIALS, 'x'), 'passkey')).toBe(
      'This passkey was not accepted. Try again, or sign in with your password.',
    );
    expect(describeError(new EdgegramError(ErrorCode.LOGIN_TOKEN_INVALID, 'x'), 'login-code')).toBe('This login code is unknown or was already used.');
    expect(describeError(new EdgegramError(ErrorCode.LOGIN_TOKEN_EXPIRED, 'x'), 'login-code')).toContain('This login code has expired.');
    expect(describeError(new DOMException('The operation either timed out or was not allowed.', 'NotAllowedError'), 'passkey')).toBe(
      'The passkey request was cancelled or timed out.',
    );
  });

  it('explains failures on the client side of the wire', () => {
    expect(describeError(new ClientError('NETWORK', 'fetch failed'))).toContain("Can't reach Edgegram");
    expect(describeError(new Error('boom'))).toBe('Something went wrong. Try again.');
  });
});
