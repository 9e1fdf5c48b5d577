import { assignPermissionSet } from './assign_permission_set.js';
import { createUser } from './create_user.js';
import { deactivateUser } from './deactivate_user.js';
import { freezeUser } from './freeze_user.js';
import { listPermissionSets } from './list_permission_sets.js';
import { listUsers } from './list_users.js';
import { removePermissionSet } from './remove_permission_set.js';

/** This toolset's tools, in the order the README lists them. */
export const tools = [
  listUsers,
  listPermissionSets,
  assignPermissionSet,
  removePermissionSet,
  createUser,
  deactivateUser,
  freezeUser,
];
