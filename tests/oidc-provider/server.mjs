// A generic OpenID provider for the tests: panva's oidc-provider (OpenID Certified), with its
// own development login and consent pages. Test-only: it accepts any login and password.
//
//   node server.mjs [--es256] [--spa-redirect=URL]
//
// It listens on a free port of 127.0.0.1 and prints "listening on <issuer>" once it answers.
//   --es256           ID tokens are signed with ES256 (default RS256)
//   --spa-redirect    the browser page's exact redirect URI (web clients match exactly)
//   --at-ttl=N        access tokens live N seconds (default 600)
//   --no-logout       no end-session endpoint (RP-Initiated Logout off)
// Each token grant is printed as "grant <grant_type>", each end of session as "end_session".
import { createServer } from 'node:http';
import { generateKeyPairSync } from 'node:crypto';
import Provider from 'oidc-provider';

const flag = (name) => process.argv.slice(2).find((a) => a === name || a.startsWith(`${name}=`));
const value = (name) => flag(name)?.split('=').slice(1).join('=');
const idTokenAlg = flag('--es256') ? 'ES256' : 'RS256';
const spaRedirect = value('--spa-redirect') ?? 'http://localhost:1420/';

// Fresh signing keys for each run, one per key type.
const jwk = (type, options, extra) => ({
  ...generateKeyPairSync(type, options).privateKey.export({ format: 'jwk' }),
  ...extra,
});
const jwks = {
  keys: [
    jwk('rsa', { modulusLength: 2048 }, { kid: 'rsa-1', use: 'sig', alg: 'RS256' }),
    jwk('ec', { namedCurve: 'P-256' }, { kid: 'ec-1', use: 'sig', alg: 'ES256' }),
  ],
};

// Any login name signs in, and becomes the subject.
const account = (id) => ({
  accountId: id,
  async claims() {
    return {
      sub: id,
      name: `Test User ${id}`,
      preferred_username: id,
      email: `${id}@example.test`,
      email_verified: true,
      phone_number: '+1 555 0100',
    };
  },
});

const publicClient = {
  token_endpoint_auth_method: 'none',
  grant_types: ['authorization_code', 'refresh_token'],
  response_types: ['code'],
  id_token_signed_response_alg: idTokenAlg,
};

const configuration = {
  clients: [
    {
      ...publicClient,
      client_id: 'desktop-app',
      // A native client on loopback: any port is accepted (RFC 8252 §7.3); the rest of the
      // URI must match, and the app's redirect URI has no path.
      application_type: 'native',
      redirect_uris: ['http://localhost', 'http://localhost/', 'http://127.0.0.1', 'http://127.0.0.1/'],
      post_logout_redirect_uris: ['http://localhost', 'http://localhost/', 'http://127.0.0.1/'],
    },
    {
      ...publicClient,
      client_id: 'spa',
      application_type: 'web',
      redirect_uris: [spaRedirect],
      post_logout_redirect_uris: [spaRedirect],
    },
  ],
  findAccount: async (ctx, sub) => account(sub),
  claims: {
    openid: ['sub'],
    profile: ['name', 'preferred_username'],
    email: ['email', 'email_verified'],
    phone: ['phone_number'],
  },
  scopes: ['openid', 'profile', 'email', 'phone', 'offline_access'],
  jwks,
  // The requested claims go in the ID token too, not only in the userinfo answer.
  conformIdTokenClaims: false,
  pkce: { required: () => true },
  features: {
    devInteractions: { enabled: true },
    userinfo: { enabled: true },
    revocation: { enabled: true },
    rpInitiatedLogout: { enabled: !flag('--no-logout') },
  },
  // A refresh token whenever the client may use the grant.
  async issueRefreshToken(ctx, client) {
    return client.grantTypeAllowed('refresh_token');
  },
  ttl: {
    AccessToken: Number(value('--at-ttl') ?? 600),
    AuthorizationCode: 60,
    IdToken: 600,
    RefreshToken: 24 * 60 * 60,
    Interaction: 600,
    Session: 24 * 60 * 60,
    Grant: 24 * 60 * 60,
  },
  cookies: { keys: ['test-only-cookie-key'] },
};

const server = createServer();
server.listen(0, '127.0.0.1', () => {
  const issuer = `http://127.0.0.1:${server.address().port}`;
  const provider = new Provider(issuer, configuration);
  // Its pages import a web font; the machines the tests run on have no internet.
  provider.use(async (ctx, next) => {
    await next();
    if (typeof ctx.body === 'string' && ctx.response.is('html')) {
      ctx.body = ctx.body.replace(/@import url\(https:\/\/fonts\.googleapis\.com[^)]*\);?/g, '');
    }
  });
  provider.on('grant.success', (ctx) => console.log(`grant ${ctx.oidc.params.grant_type}`));
  provider.on('end_session.success', () => console.log('end_session'));
  for (const event of ['authorization.error', 'grant.error', 'end_session.error', 'userinfo.error',
    'server_error']) {
    provider.on(event, (ctx, err) => console.log(`${event}: ${err?.message} ${err?.error_description ?? ''}`));
  }
  server.on('request', provider.callback());
  console.log(`listening on ${issuer}`);
});
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => process.exit(0));
