/**
 * Who the access token belongs to: `/services/oauth2/userinfo` and the identity URL `/id/<org>/<user>`,
 * answered for `org.userId` (the router passes the org as the token's user sees it).
 */
import type { LocalOrgState } from '../state/index.js';

export function userInfo(
  org: LocalOrgState,
  instanceUrl: string,
  latestVersion: string,
): Record<string, unknown> {
  const user = org.records.get(org.userId) ?? { Id: org.userId };
  const organization = org.records.get(org.orgId) ?? { Id: org.orgId };
  const text = (value: unknown) => (typeof value === 'string' ? value : null);
  const identityUrl = `${instanceUrl}/id/${org.orgId}/${org.userId}`;
  const urls = Object.fromEntries(
    Object.entries({
      enterprise: `/services/Soap/c/{version}/${org.orgId.slice(0, 15)}`,
      metadata: `/services/Soap/m/{version}/${org.orgId.slice(0, 15)}`,
      partner: `/services/Soap/u/{version}/${org.orgId.slice(0, 15)}`,
      rest: '/services/data/v{version}/',
      sobjects: '/services/data/v{version}/sobjects/',
      search: '/services/data/v{version}/search/',
      query: '/services/data/v{version}/query/',
      recent: '/services/data/v{version}/recent/',
      tooling_soap: `/services/Soap/T/{version}/${org.orgId.slice(0, 15)}`,
      tooling_rest: '/services/data/v{version}/tooling/',
      profile: `/${org.userId}`,
      feeds: '/services/data/v{version}/chatter/feeds',
      groups: '/services/data/v{version}/chatter/groups',
      users: '/services/data/v{version}/chatter/users',
      feed_items: '/services/data/v{version}/chatter/feed-items',
      custom_domain: '',
    }).map(([name, path]) => [name, path === '' ? instanceUrl : `${instanceUrl}${path}`]),
  );
  return {
    sub: identityUrl,
    user_id: org.userId,
    organization_id: org.orgId,
    preferred_username: text(user.Username) ?? org.username,
    nickname: text(user.CommunityNickname) ?? text(user.Alias),
    name: text(user.Name),
    email: text(user.Email),
    email_verified: true,
    given_name: text(user.FirstName),
    family_name: text(user.LastName),
    zoneinfo: text(user.TimeZoneSidKey),
    photos: {
      picture: `${instanceUrl}/img/userprofile/default_profile_200_v2.png`,
      thumbnail: `${instanceUrl}/img/userprofile/default_profile_45_v2.png`,
    },
    profile: `${instanceUrl}/${org.userId}`,
    picture: `${instanceUrl}/img/userprofile/default_profile_200_v2.png`,
    address: { country: text(organization.Country) },
    is_salesforce_integration_user: false,
    urls: Object.fromEntries(
      Object.entries(urls).map(([name, url]) => [name, String(url).replaceAll('{version}', latestVersion)]),
    ),
    active: user.IsActive !== false,
    user_type: 'STANDARD',
    language: text(user.LanguageLocaleKey),
    locale: text(user.LocaleSidKey),
    utcOffset: 0,
    updated_at: text(user.LastModifiedDate),
    is_app_installed: true,
  };
}

/** The identity service answer (`GET /id/<orgId>/<userId>`), which jsforce's `identity()` reads. */
export function identity(
  org: LocalOrgState,
  instanceUrl: string,
  latestVersion: string,
): Record<string, unknown> {
  const info = userInfo(org, instanceUrl, latestVersion);
  const user = org.records.get(org.userId) ?? { Id: org.userId };
  return {
    id: info.sub,
    asserted_user: true,
    user_id: org.userId,
    organization_id: org.orgId,
    username: info.preferred_username,
    nick_name: info.nickname,
    display_name: info.name,
    email: info.email,
    email_verified: true,
    first_name: info.given_name,
    last_name: info.family_name,
    timezone: info.zoneinfo,
    photos: info.photos,
    addr_country: (info.address as { country: unknown }).country,
    urls: info.urls,
    active: info.active,
    user_type: 'STANDARD',
    language: info.language,
    locale: info.locale,
    utcOffset: 0,
    last_modified_date: user.LastModifiedDate ?? null,
    is_app_installed: true,
  };
}
