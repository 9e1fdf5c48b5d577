import { getOrgInfo } from './get_org_info.js';
import { listAllOrgs } from './list_all_orgs.js';
import { openOrg } from './open_org.js';
import { setDefaultOrg } from './set_default_org.js';

/** This toolset's tools, in the order the README lists them. */
export const tools = [listAllOrgs, getOrgInfo, setDefaultOrg, openOrg];
