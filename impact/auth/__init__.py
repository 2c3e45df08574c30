"""Who is acting and what they may do: accounts, sign-in, rights, the audit log.

- `actor`: `Actor` (name, role, own schools, partnerships, e-mail), `NotAllowed`.
- `rights`: `allowed(actor, action, resource)`, the one check every write and export passes
  through, and what pages ask before showing something.
- `accounts`: accounts in the store (Argon2id password hashes), sign-in with slow-down and
  lock-out, the actor an account acts as, the command line's actor.
- `sessions`: a signed-in session and when it expires.
- `audit`: the audit log (sign-ins, uploads, undos, exports, account changes).
- `oidc`: Microsoft 365 / Google Workspace sign-in settings (Streamlit's `st.login`).

`accounts`, `audit` and `sessions` use the store, so import them by name
(`from impact.auth import accounts`); this package itself imports only what the store needs.
"""

from impact.auth.actor import BOOTSTRAP, DEMO_ADMIN, Actor, NotAllowed
from impact.auth.rights import Decision, allowed, require
from impact.domain.roles import ADMIN, GOVERNOR, HEAD, ROLES

__all__ = ["ADMIN", "BOOTSTRAP", "DEMO_ADMIN", "GOVERNOR", "HEAD", "ROLES", "Actor", "Decision",
           "NotAllowed", "allowed", "require"]
