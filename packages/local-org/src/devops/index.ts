/** DevOps Center in the local org: objects of one data model, real bare git repositories, Connect routes. */
export { openGitRoot, startDevops, type DevopsService, type GitRoot } from './service.js';
export { devopsModelOf, registerDevopsObjects, WORK_ITEM_STATUSES, type DevopsModelKind } from './objects.js';
