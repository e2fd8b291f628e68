import { describe, expect, it } from 'vitest';
import { LocalVectors } from './local-vectors.js';

const vector = (value: number) => Float32Array.of(value, 1);
const alice = { tenant: 'aa', user: 'a1', namespace: 'embedding:\u0000m' };
const aliceOtherUser = { ...alice, user: 'a2' };
const bob = { tenant: 'bb', user: 'a1', namespace: 'embedding:\u0000m' };
const shared = { namespace: 'embedding:\u0000m' };

describe('LocalVectors', () => {
  it('keeps each slice apart: another tenant, user, model or the shared cache never sees a vector', () => {
    const local = new LocalVectors(10);
    local.set(alice, 'hello', vector(1));
    expect(local.get(alice, 'hello')).toEqual(vector(1));
    expect(local.get(bob, 'hello')).toBeUndefined();
    expect(local.get(aliceOtherUser, 'hello')).toBeUndefined();
    expect(local.get({ ...alice, namespace: 'embedding:\u0000other' }, 'hello')).toBeUndefined();
    expect(local.get(shared, 'hello')).toBeUndefined();
  });

  it('drops the least recently used entry when full', () => {
    const local = new LocalVectors(2);
    local.set(alice, 'one', vector(1));
    local.set(alice, 'two', vector(2));
    expect(local.get(alice, 'one')).toEqual(vector(1)); // 'two' is now the oldest
    local.set(alice, 'three', vector(3));
    expect(local.size).toBe(2);
    expect(local.get(alice, 'two')).toBeUndefined();
    expect(local.get(alice, 'one')).toEqual(vector(1));
    expect(local.get(alice, 'three')).toEqual(vector(3));
  });

  it("forget drops one user's slice of one tenant, or the whole tenant's", () => {
    const local = new LocalVectors(10);
    local.set(alice, 'x', vector(1));
    local.set(aliceOtherUser, 'x', vector(2));
    local.set(bob, 'x', vector(3));
    expect(local.forget('aa', 'a1')).toBe(1);
    expect(local.get(alice, 'x')).toBeUndefined();
    expect(local.get(aliceOtherUser, 'x')).toEqual(vector(2));
    expect(local.get(bob, 'x')).toEqual(vector(3));
    expect(local.forget('aa')).toBe(1);
    expect(local.get(aliceOtherUser, 'x')).toBeUndefined();
    expect(local.get(bob, 'x')).toEqual(vector(3));
  });

  it('keeps nothing with 0 entries', () => {
    const local = new LocalVectors(0);
    local.set(alice, 'x', vector(1));
    expect(local.size).toBe(0);
    expect(local.get(alice, 'x')).toBeUndefined();
  });
});
