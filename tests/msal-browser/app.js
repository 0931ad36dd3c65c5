// Drives msal-browser the way Microsoft's SPA tutorial does (redirect sign-in, a silent
// token, a Graph call), with `knownAuthorities` naming the emulator's host. Settings come
// from config.json, which the test serves.
"use strict";

const show = (id, text) => {
  document.getElementById(id).textContent = text;
};
const report = (e) => show("error", `${e.errorCode || e.name || "error"}: ${e.message || e}`);

async function main() {
  const config = await (await fetch("config.json")).json();
  const pca = new msal.PublicClientApplication({
    auth: {
      clientId: config.clientId,
      authority: config.authority,
      knownAuthorities: config.knownAuthorities,
      redirectUri: config.redirectUri,
    },
    cache: { cacheLocation: "sessionStorage" },
  });
  await pca.initialize();
  try {
    const result = await pca.handleRedirectPromise();
    const account = result ? result.account : pca.getAllAccounts()[0];
    if (account) {
      pca.setActiveAccount(account);
      show("account", account.username);
      show("name", account.name || "");
    }
  } catch (e) {
    report(e);
  }

  const token = async (forceRefresh) => {
    const result = await pca.acquireTokenSilent({
      scopes: ["User.Read"],
      account: pca.getActiveAccount(),
      forceRefresh,
    });
    show("tokenSource", result.fromCache ? "cache" : "network");
    return result.accessToken;
  };
  document.getElementById("signIn").onclick = () =>
    pca.loginRedirect({ scopes: ["User.Read"] }).catch(report);
  document.getElementById("seeProfile").onclick = async () => {
    try {
      const answer = await fetch(`${config.graphEndpoint}/v1.0/me`, {
        headers: { Authorization: `Bearer ${await token(false)}` },
      });
      const me = await answer.json();
      show("displayName", me.displayName || `HTTP ${answer.status}`);
    } catch (e) {
      report(e);
    }
  };
  document.getElementById("refresh").onclick = () => token(true).catch(report);
  show("status", "ready");
}

main().catch(report);
