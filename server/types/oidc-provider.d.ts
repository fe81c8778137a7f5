// oidc-provider (tests only: the OpenID provider the single sign-on tests sign in at) ships no types.
declare module 'oidc-provider' {
  import type http from 'node:http';
  export default class Provider {
    constructor(issuer: string, configuration?: Record<string, unknown>);
    proxy: boolean;
    callback(): http.RequestListener;
  }
}
