import { describe, expect, it } from 'vitest';
import { DejaConnectionError } from '../../errors.js';
import { addressOf, explainConnectionError } from './connection-errors.js';

class SimpleError extends Error {}
class SocketClosedUnexpectedlyError extends Error {}
const withCode = (message: string, code: string) => Object.assign(new Error(message), { code });

describe('explainConnectionError', () => {
  it.each([
    [new SimpleError('WRONGPASS invalid username-password pair'), 'wrong-password'],
    [new SimpleError('NOAUTH Authentication required.'), 'password-required'],
    [new SimpleError('ERR max number of clients reached'), 'max-clients'],
    [withCode('connect ECONNREFUSED 127.0.0.1:1', 'ECONNREFUSED'), 'refused'],
    [withCode('getaddrinfo ENOTFOUND nowhere', 'ENOTFOUND'), 'unknown-host'],
    [new Error('Unknown RESP type 72 "H"'), 'not-redis'],
    [new SocketClosedUnexpectedlyError('Socket closed unexpectedly'), 'closed'],
    [new Error('something else'), 'other'],
  ])('%s -> %s, keeping the original as cause', (error, reason) => {
    const explained = explainConnectionError(error, '127.0.0.1:6379');
    expect(explained).toBeInstanceOf(DejaConnectionError);
    expect(explained.reason).toBe(reason);
    expect(explained.cause).toBe(error);
    expect(explained.message).toContain(error.message);
    expect(explained.message).toContain('127.0.0.1:6379');
  });

  it('an error reply that mentions a type is not mistaken for a protocol failure', () => {
    expect(explainConnectionError(new SimpleError('WRONGTYPE Operation against a key'), 'x').reason).toBe(
      'other',
    );
  });

  it('names the address without the credentials', () => {
    expect(addressOf('redis://user:secret@cache.internal:6380/0')).toBe('cache.internal:6380');
    expect(addressOf('redis://localhost')).toBe('localhost:6379');
    expect(addressOf(undefined)).toBe('(the given client)');
  });
});
