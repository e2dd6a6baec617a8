import { describe, expect, it } from 'vitest';
import { rolesWith } from './needs-role';

describe('who may do what the signed-in role may not', () => {
  it('names the roles granted the permission, the owner only when no other role has it', () => {
    expect(rolesWith('orders.refund')).toEqual(['store_manager']);
    expect(rolesWith('orders.reverse')).toEqual(['store_manager', 'front_desk']);
    expect(rolesWith('apikeys.manage')).toEqual(['owner']);
  });
});
