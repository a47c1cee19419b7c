// First-administrator enrollment (docs/security.md, section 4): the token comes from the URL fragment,
// which browsers never send to the server, so it does not appear in any request line or log.
"use strict";
(function () {
  let csrf = "";
  const $ = (id) => document.getElementById(id);
  const fail = (text) => { $("error").textContent = text; };

  async function call(path, body) {
    const headers = { "Content-Type": "application/json" };
    if (csrf) headers["X-CSRF-Token"] = csrf;
    const res = await fetch(path, { method: "POST", headers, body: body === undefined ? undefined : JSON.stringify(body),
      credentials: "same-origin" });
    const json = await res.json().catch(() => ({}));
    if (!res.ok) throw new Error(json.detail || ("HTTP " + res.status));
    return json;
  }

  document.addEventListener("DOMContentLoaded", () => {
    const token = decodeURIComponent(location.hash.slice(1));
    $("account").addEventListener("submit", async (e) => {
      e.preventDefault();
      try {
        const r = await call("/api/v1/enroll", { token, username: $("username").value, password: $("password").value });
        csrf = r.csrfToken;
        const t = await fetch("/api/v1/mfa/totp", { method: "POST", headers: { "X-CSRF-Token": csrf }, credentials: "same-origin" })
          .then((x) => x.json());
        $("secret").textContent = t.secret;
        $("uri").textContent = t.otpauthUri;
        $("account").hidden = true;
        $("totp").hidden = false;
        fail("");
      } catch (err) { fail(err.message); }
    });
    $("totp").addEventListener("submit", async (e) => {
      e.preventDefault();
      try {
        const r = await call("/api/v1/mfa/totp/confirm", { code: $("code").value });
        $("codes").textContent = r.recoveryCodes.join("\n");
        $("totp").hidden = true;
        $("done").hidden = false;
        fail("");
      } catch (err) { fail(err.message); }
    });
  });
})();
