"""Who may see what (SPEC §7): users with a role and a scope, password sign-in, sessions that end.

Users live in a JSON file beside the database (`users.json`, or $SUPERVISION_USERS); passwords are stored only
as Argon2id hashes (argon2-cffi). Every change to a user (scope, role, password, disabling) raises the user's
`version`: a signed-in session carries the version it was opened with, and ends at its next page when the
version differs, the user is disabled or removed (`current`). Session tokens are random, stored as their
SHA-256, valid SESSION_HOURS, bound to the user's version. Failed sign-ins are counted per user and per client
in a file beside the users (so parallel tabs and several server threads share the count); after LOCK_AFTER
failures within LOCK_MINUTES the account (or the client) is locked for LOCK_MINUTES, and the lock is logged.

Why not streamlit-authenticator: it keeps its own YAML user store and cookie login, has no notion of a city or
district scope, and adds several dependencies; what we need — verify a hash, keep the identity in the session,
count and log failures — is this module. Company identity providers use Streamlit's OIDC `st.login`
(docs/security.md); the signed-in e-mail is then looked up here for its role and scope.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
import secrets
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from supervision import auditlog, db
from supervision.scope import Scope

ROLES = ("province", "city", "district", "auditor")
SESSION_HOURS = 12
COOKIE = "supervision_session"
LOCK_AFTER = 5  # failed sign-ins of one user within LOCK_MINUTES lock that user
LOCK_AFTER_CLIENT = 20  # failed sign-ins from one client (any user) lock that client
LOCK_MINUTES = 15
_hasher = PasswordHasher()
_lock = threading.Lock()
_failures: dict[str, int] = {}  # consecutive failed sign-ins per username, in this process (the delay)
log = auditlog.log  # the audit log has its own module; the name stays for the callers of auth


class AuthError(ValueError):
    pass


@dataclass(frozen=True)
class User:
    username: str
    name: str
    role: str
    city_code: str | None = None
    district_code: str | None = None
    version: str = ""  # the user's record as it was when this session began (see `_stamp`)

    @property
    def scope(self) -> Scope:
        """The rows this user may read: province and auditor all; city one city; district one district."""
        if self.role == "city":
            return Scope(city_code=self.city_code)
        if self.role == "district":
            return Scope(city_code=self.city_code, district_code=self.district_code)
        return Scope()

    @property
    def can_write(self) -> bool:
        """Only province users import exports and load standards; auditors are read-only (SPEC §7)."""
        return self.role == "province"

    def scope_label(self) -> str:
        return self.district_code or self.city_code or "province"


def _data_dir() -> Path:
    return Path(os.environ.get("SUPERVISION_DB", db.DEFAULT_DB)).resolve().parent


def users_path() -> Path:
    return Path(os.environ.get("SUPERVISION_USERS", _data_dir() / "users.json"))


def sessions_path() -> Path:
    return users_path().with_name("sessions.json")


def failures_path() -> Path:
    return users_path().with_name("sign_in_failures.json")


@contextmanager
def _file_lock(name: str):
    """An exclusive lock across processes (the CLI and the dashboard both change these files)."""
    with _lock, db.file_lock(users_path().with_name(f".{name}.lock")):
        yield


def _read_json(p: Path) -> dict:
    if not p.exists():
        return {}
    try:
        data = json.loads(p.read_text(encoding="utf-8"))
    except (ValueError, OSError):
        return {}
    return data if isinstance(data, dict) else {}


def _write_json(p: Path, data: dict) -> None:
    p.parent.mkdir(parents=True, exist_ok=True)
    tmp = p.with_suffix(p.suffix + ".tmp")
    tmp.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    os.chmod(tmp, 0o600)
    tmp.replace(p)


_cache: dict = {"key": None, "users": {}}


def _load() -> dict[str, dict]:
    """The users file, read again only when it changed (a page checks its reader on every run)."""
    p = users_path()
    try:
        st = p.stat()
        key = (str(p), st.st_ino, st.st_mtime_ns, st.st_size)
    except FileNotFoundError:
        return {}
    if _cache["key"] != key:
        _cache["users"], _cache["key"] = _read_json(p), key
    return _cache["users"]


def has_users() -> bool:
    return bool(_load())


def list_users() -> list[User]:
    return [_user(u, rec) for u, rec in sorted(_load().items())]


def disabled(username: str) -> bool:
    rec = _load().get(username)
    return bool(rec and rec.get("disabled"))


def _stamp(rec: dict) -> str:
    """Changes whenever the user's record does in a way that must end their sessions: any change (the counter),
    a new password, or removal and re-creation under the same name (the creation time)."""
    text = f"{rec.get('created_at')}|{rec.get('version', 1)}|{rec.get('password_hash')}"
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def _user(username: str, rec: dict) -> User:
    return User(
        username, rec.get("name") or username, rec["role"], rec.get("city_code"), rec.get("district_code"), _stamp(rec)
    )


def check_scope(role: str, city_code: str | None, district_code: str | None, org: dict[str, str] | None) -> None:
    """A city user needs a city that exists; a district user a district that exists and lies in that city.
    `org` maps every district code to its city code (the organisation imported); None = not checked."""
    if role == "city" and not city_code:
        raise AuthError("a city user needs --city")
    if role == "district" and not (district_code and city_code):
        raise AuthError("a district user needs --city and --district")
    if org is None or role not in ("city", "district"):
        return
    cities = set(org.values())
    if city_code not in cities:
        raise AuthError(f"unknown city {city_code}: the imported organisation has {', '.join(sorted(cities))}")
    if role == "district":
        if district_code not in org:
            raise AuthError(f"unknown district {district_code}")
        if org[district_code] != city_code:
            raise AuthError(f"district {district_code} belongs to city {org[district_code]}, not {city_code}")


def add_user(
    username: str,
    password: str | None,
    role: str,
    name: str = "",
    city_code: str | None = None,
    district_code: str | None = None,
    replace: bool = False,
    org: dict[str, str] | None = None,
    email: str | None = None,
) -> User:
    """Create (or, with replace, change) a user. A city user needs a known city; a district user a known district
    of that city (`org`: district → city). `password` None creates an account that can sign in only through the
    company identity provider. A change raises the user's version: their open sessions end."""
    username = username.strip()
    if not username or len(username) > 64 or any(c.isspace() or not c.isprintable() for c in username):
        raise AuthError("a username is 1 to 64 printable characters without spaces")
    if role not in ROLES:
        raise AuthError(f"role must be one of {', '.join(ROLES)}")
    if role in ("province", "auditor"):
        city_code = district_code = None
    if role == "city":
        district_code = None
    check_scope(role, city_code, district_code, org)
    if password is not None and len(password) < 10:
        raise AuthError("a password needs at least 10 characters")
    if email is not None and email != "" and not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", email):
        raise AuthError(f"not an e-mail address: {email!r}")
    with _file_lock("users"):
        users = dict(_read_json(users_path()))
        if username in users and not replace:
            raise AuthError(f"user {username} exists (use --replace to change it)")
        old = users.get(username, {})
        users[username] = {
            "name": name or old.get("name") or username,
            "role": role,
            "city_code": city_code,
            "district_code": district_code,
            "password_hash": _hasher.hash(password) if password is not None else None,
            "created_at": old.get("created_at") or dt.datetime.now().isoformat(timespec="microseconds"),
            "version": int(old.get("version", 0)) + 1,
            "disabled": False,
            # where alerts are sent (SPEC §9); kept when a change does not name one
            "email": (email if email is not None else old.get("email")) or None,
        }
        _write_json(users_path(), users)
    if old:
        _end_sessions_of(username)
    return _user(username, users[username])


def _change(username: str, change) -> User:
    with _file_lock("users"):
        users = dict(_read_json(users_path()))
        if username not in users:
            raise AuthError(f"no user {username}")
        rec = dict(users[username])
        change(rec)
        rec["version"] = int(rec.get("version", 1)) + 1
        users[username] = rec
        _write_json(users_path(), users)
    _end_sessions_of(username)
    return _user(username, rec)


def set_password(username: str, password: str) -> User:
    """A new password; the user's open sessions end."""
    if len(password) < 10:
        raise AuthError("a password needs at least 10 characters")
    return _change(username, lambda rec: rec.update(password_hash=_hasher.hash(password)))


def set_disabled(username: str, value: bool) -> User:
    """Disable (or enable again) a user: a disabled user cannot sign in, and their sessions end."""
    return _change(username, lambda rec: rec.update(disabled=value))


def remove_user(username: str) -> None:
    with _file_lock("users"):
        users = dict(_read_json(users_path()))
        if users.pop(username, None) is None:
            raise AuthError(f"no user {username}")
        _write_json(users_path(), users)
    _end_sessions_of(username)


def current(user: User | None) -> User | None:
    """The user as the users file has them now, when the session may go on: None when the user was removed or
    disabled, or changed since the session began (a new scope, role or password ends the session)."""
    if user is None:
        return None
    rec = _load().get(user.username)
    if not rec or rec.get("disabled") or _stamp(rec) != user.version:
        return None
    return user


def generate_password() -> str:
    return secrets.token_urlsafe(12)


# ---------------------------------------------------------------- sessions that outlive a page load
def _token_key(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()  # only the hash is stored, like a password


def issue_session(user: User, now: dt.datetime | None = None) -> str:
    """A random token for the browser's cookie, valid SESSION_HOURS and bound to the user's version."""
    now = now or dt.datetime.now()
    token = secrets.token_urlsafe(32)
    with _file_lock("sessions"):
        data = {k: v for k, v in _read_json(sessions_path()).items() if v.get("expires", "") > now.isoformat()}
        data[_token_key(token)] = {
            "user": user.username,
            "stamp": user.version,
            "expires": (now + dt.timedelta(hours=SESSION_HOURS)).isoformat(),
        }
        _write_json(sessions_path(), data)
    return token


def resume_session(token: str | None, now: dt.datetime | None = None) -> User | None:
    """The user a still-valid token belongs to, when that user still exists, is enabled and has not changed
    since the token was issued; else None."""
    if not isinstance(token, str) or not token or len(token) > 200:
        return None
    rec = _read_json(sessions_path()).get(_token_key(token))
    if not rec or rec.get("expires", "") <= (now or dt.datetime.now()).isoformat():
        return None
    urec = _load().get(rec.get("user"))
    if not urec or urec.get("disabled") or _stamp(urec) != rec.get("stamp"):
        return None
    return _user(rec["user"], urec)


def _end_sessions_of(username: str) -> None:
    with _file_lock("sessions"):
        data = _read_json(sessions_path())
        kept = {k: v for k, v in data.items() if v.get("user") != username}
        if len(kept) != len(data):
            _write_json(sessions_path(), kept)


def end_session(token: str | None) -> None:
    if not isinstance(token, str) or not token:
        return
    with _file_lock("sessions"):
        data = _read_json(sessions_path())
        if data.pop(_token_key(token), None) is not None:
            _write_json(sessions_path(), data)


# A signed-in page hands its new token to the browser through a one-time code: the page asks the server's own
# endpoint (supervision/server.py) with the code, and the endpoint sets the cookie HttpOnly — a script on the
# page never holds the token. Codes live in this process for CODE_SECONDS.
CODE_SECONDS = 60
_codes: dict[str, tuple[str, float]] = {}


def cookie_code(token: str) -> str:
    code = secrets.token_urlsafe(24)
    now = time.monotonic()
    with _lock:
        for k in [k for k, (_, t) in _codes.items() if now - t > CODE_SECONDS]:
            del _codes[k]
        _codes[code] = (token, now)
    return code


def redeem_code(code: str | None) -> str | None:
    """The token a code stands for, once; None when unknown or expired."""
    if not isinstance(code, str):
        return None
    with _lock:
        got = _codes.pop(code, None)
    if got is None or time.monotonic() - got[1] > CODE_SECONDS:
        return None
    return got[0]


# ---------------------------------------------------------------- sign-in, and what failures cost
def failure_delay(failures: int) -> float:
    """Seconds to wait after the n-th consecutive failed sign-in of a username: 0.5 s, 1, 2, 4, then 8 at most."""
    return 0.0 if failures <= 0 else min(0.5 * 2 ** (failures - 1), 8.0)


def _recent(times: list[float], now: float) -> list[float]:
    return [t for t in times if now - t < LOCK_MINUTES * 60]


def locked(username: str, client: str | None = None, now: float | None = None) -> str | None:
    """Why sign-in is refused without trying the password: 'user' or 'client' while locked; None otherwise."""
    now = now or time.time()
    data = _read_json(failures_path())
    if len(_recent(data.get(f"user:{username}", []), now)) >= LOCK_AFTER:
        return "user"
    if client and len(_recent(data.get(f"client:{client}", []), now)) >= LOCK_AFTER_CLIENT:
        return "client"
    return None


def _count_failure(username: str, client: str | None, now: float) -> tuple[int, bool]:
    """Record a failure; (failures of this user within the window, whether this one locked user or client)."""
    with _file_lock("failures"):
        data = _read_json(failures_path())
        data = {k: _recent(v, now) for k, v in data.items() if _recent(v, now)}
        keys = [f"user:{username}"] + ([f"client:{client}"] if client else [])
        for k in keys:
            data[k] = [*data.get(k, []), now][-100:]
        _write_json(failures_path(), data)
    n = len(data[f"user:{username}"])
    return n, n == LOCK_AFTER or bool(client and len(data[f"client:{client}"]) == LOCK_AFTER_CLIENT)


def _clear_failures(username: str) -> None:
    with _file_lock("failures"):
        data = _read_json(failures_path())
        if data.pop(f"user:{username}", None) is not None:
            _write_json(failures_path(), data)


def sign_in(username: str, password: str, client: str | None = None, sleep=time.sleep) -> User | None:
    """The user when the password matches and neither the user nor the client is locked; None otherwise (after
    a delay that grows with each failure). Every outcome is logged; the password never is."""
    username = username.strip()[:64]
    now = time.time()
    why = locked(username, client, now)
    if why:
        log(username, "sign_in_refused", {"locked": why, "client": client})
        _hasher.hash(password or "x")  # same cost as a real try
        return None
    rec = _load().get(username)
    ok = False
    if rec and rec.get("password_hash") and not rec.get("disabled"):
        try:
            ok = _hasher.verify(rec["password_hash"], password)
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            ok = False
    else:
        _hasher.hash(password or "x")  # same cost whether or not the user exists
    if not ok:
        with _lock:
            _failures[username] = _failures.get(username, 0) + 1
            n = _failures[username]
        total, just_locked = _count_failure(username, client, now)
        log(username, "sign_in_failed", {"consecutive_failures": n, "within_window": total, "client": client})
        if just_locked:
            log(username, "account_locked", {"minutes": LOCK_MINUTES, "client": client, "after_failures": total})
        sleep(failure_delay(n))
        return None
    with _lock:
        _failures.pop(username, None)
    _clear_failures(username)
    user = _user(username, rec)
    log(username, "sign_in", {"role": user.role, "scope": user.scope_label(), "client": client})
    return user


def email_of(username: str) -> str | None:
    """A user's e-mail address for alerts: the one given with `users add --email`, else the username when it is
    one (identity-provider users are named by their address)."""
    rec = _load().get(username) or {}
    if rec.get("email"):
        return rec["email"]
    return username if re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", username) else None


def oidc_user(email: str | None) -> User | None:
    """The user an identity provider signed in, by e-mail (its role and scope come from the users file)."""
    if not email:
        return None
    rec = _load().get(email)
    return _user(email, rec) if rec and not rec.get("disabled") else None
