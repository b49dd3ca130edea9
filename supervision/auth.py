"""Who may see what (SPEC §7): users with a role and a scope, password sign-in, and the append-only audit log.

Users live in a JSON file beside the database (`users.json`, or $SUPERVISION_USERS); passwords are stored only
as Argon2id hashes (argon2-cffi). The audit log is a JSON-lines file (`audit_log.jsonl`, or
$SUPERVISION_AUDIT_LOG) opened in append mode only; each entry carries the SHA-256 of the previous line, so a
line edited or removed later breaks the chain (`verify_chain`).

Why not streamlit-authenticator: it keeps its own YAML user store and cookie login, has no notion of a city or
district scope, and adds several dependencies; what we need — verify a hash, keep the identity in the session,
slow down and log failures — is this module. Company identity providers use Streamlit's OIDC `st.login`
(docs/security.md); the signed-in e-mail is then looked up here for its role and scope.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import secrets
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from supervision import db
from supervision.measures import Scope

ROLES = ("province", "city", "district", "auditor")
_hasher = PasswordHasher()
_lock = threading.Lock()
_failures: dict[str, int] = {}  # consecutive failed sign-ins per username, in this process


class AuthError(ValueError):
    pass


@dataclass(frozen=True)
class User:
    username: str
    name: str
    role: str
    city_code: str | None = None
    district_code: str | None = None

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


def audit_path() -> Path:
    return Path(os.environ.get("SUPERVISION_AUDIT_LOG", _data_dir() / "audit_log.jsonl"))


def _load() -> dict[str, dict]:
    p = users_path()
    if not p.exists():
        return {}
    return json.loads(p.read_text(encoding="utf-8"))


def _save(users: dict[str, dict]) -> None:
    p = users_path()
    p.parent.mkdir(parents=True, exist_ok=True)
    tmp = p.with_suffix(".tmp")
    tmp.write_text(json.dumps(users, ensure_ascii=False, indent=1), encoding="utf-8")
    os.chmod(tmp, 0o600)
    tmp.replace(p)


def has_users() -> bool:
    return bool(_load())


def list_users() -> list[User]:
    return [_user(u, rec) for u, rec in sorted(_load().items())]


def _user(username: str, rec: dict) -> User:
    return User(username, rec.get("name") or username, rec["role"], rec.get("city_code"), rec.get("district_code"))


def add_user(username: str, password: str | None, role: str, name: str = "", city_code: str | None = None,
             district_code: str | None = None, replace: bool = False) -> User:
    """Create (or, with replace, change) a user. A city user needs a city; a district user a district (and its
    city). `password` None creates an account that can sign in only through the company identity provider."""
    username = username.strip()
    if not username:
        raise AuthError("a username is required")
    if role not in ROLES:
        raise AuthError(f"role must be one of {', '.join(ROLES)}")
    if role == "city" and not city_code:
        raise AuthError("a city user needs --city")
    if role == "district" and not (district_code and city_code):
        raise AuthError("a district user needs --city and --district")
    if role in ("province", "auditor"):
        city_code = district_code = None
    if role == "city":
        district_code = None
    if password is not None and len(password) < 10:
        raise AuthError("a password needs at least 10 characters")
    with _lock:
        users = _load()
        if username in users and not replace:
            raise AuthError(f"user {username} exists (use --replace to change it)")
        users[username] = {
            "name": name or username, "role": role, "city_code": city_code, "district_code": district_code,
            "password_hash": _hasher.hash(password) if password is not None else None,
            "created_at": dt.datetime.now().isoformat(timespec="seconds"),
        }
        _save(users)
    return _user(username, users[username])


def generate_password() -> str:
    return secrets.token_urlsafe(12)


# ---------------------------------------------------------------- sessions that outlive a page load
SESSION_HOURS = 12
COOKIE = "supervision_session"


def sessions_path() -> Path:
    return users_path().with_name("sessions.json")


def _sessions() -> dict[str, dict]:
    p = sessions_path()
    return json.loads(p.read_text(encoding="utf-8")) if p.exists() else {}


def _save_sessions(data: dict[str, dict]) -> None:
    p = sessions_path()
    p.parent.mkdir(parents=True, exist_ok=True)
    tmp = p.with_suffix(".tmp")
    tmp.write_text(json.dumps(data), encoding="utf-8")
    os.chmod(tmp, 0o600)
    tmp.replace(p)


def _token_key(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()  # only the hash is stored, like a password


def issue_session(user: User, now: dt.datetime | None = None) -> str:
    """A random token for the browser's cookie, valid SESSION_HOURS; expired ones are dropped."""
    now = now or dt.datetime.now()
    token = secrets.token_urlsafe(32)
    with _lock:
        data = {k: v for k, v in _sessions().items() if v["expires"] > now.isoformat()}
        data[_token_key(token)] = {"user": user.username,
                                   "expires": (now + dt.timedelta(hours=SESSION_HOURS)).isoformat()}
        _save_sessions(data)
    return token


def resume_session(token: str | None, now: dt.datetime | None = None) -> User | None:
    """The user a still-valid token belongs to (and who still exists), else None."""
    if not isinstance(token, str) or not token:
        return None
    rec = _sessions().get(_token_key(token))
    if not rec or rec["expires"] <= (now or dt.datetime.now()).isoformat():
        return None
    urec = _load().get(rec["user"])
    return _user(rec["user"], urec) if urec else None


def end_session(token: str | None) -> None:
    if not isinstance(token, str) or not token:
        return
    with _lock:
        data = _sessions()
        if data.pop(_token_key(token), None) is not None:
            _save_sessions(data)


def failure_delay(failures: int) -> float:
    """Seconds to wait after the n-th consecutive failed sign-in of a username: 0.5 s, 1, 2, 4, then 8 at most."""
    return 0.0 if failures <= 0 else min(0.5 * 2 ** (failures - 1), 8.0)


def sign_in(username: str, password: str, sleep=time.sleep) -> User | None:
    """The user when the password matches; None otherwise (after a delay that grows with each failure).
    Both outcomes are logged; the password never is."""
    username = username.strip()
    rec = _load().get(username)
    ok = False
    if rec and rec.get("password_hash"):
        try:
            ok = _hasher.verify(rec["password_hash"], password)
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            ok = False
    else:
        _hasher.hash(password)  # same cost whether or not the user exists
    if not ok:
        with _lock:
            _failures[username] = _failures.get(username, 0) + 1
            n = _failures[username]
        log(username, "sign_in_failed", {"consecutive_failures": n})
        sleep(failure_delay(n))
        return None
    with _lock:
        _failures.pop(username, None)
    user = _user(username, rec)
    log(username, "sign_in", {"role": user.role, "scope": user.scope_label()})
    return user


def oidc_user(email: str | None) -> User | None:
    """The user an identity provider signed in, by e-mail (its role and scope come from the users file)."""
    if not email:
        return None
    rec = _load().get(email)
    return _user(email, rec) if rec else None


# ---------------------------------------------------------------- the audit log
def _last_hash(p: Path) -> str:
    if not p.exists() or p.stat().st_size == 0:
        return "0" * 64
    with open(p, "rb") as f:
        f.seek(max(0, p.stat().st_size - 65536))
        last = f.read().rstrip(b"\n").split(b"\n")[-1]
    return hashlib.sha256(last).hexdigest()


def log(username: str | None, action: str, detail: dict | None = None) -> None:
    """Append one entry: time, user, action, detail, and the SHA-256 of the previous line."""
    p = audit_path()
    p.parent.mkdir(parents=True, exist_ok=True)
    with _lock:
        entry = {"at": dt.datetime.now().isoformat(timespec="milliseconds"), "user": username, "action": action,
                 "detail": detail or {}, "prev": _last_hash(p)}
        line = json.dumps(entry, ensure_ascii=False, sort_keys=True, default=str)
        fd = os.open(p, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            os.write(fd, (line + "\n").encode("utf-8"))
        finally:
            os.close(fd)


def read_log() -> list[dict]:
    p = audit_path()
    if not p.exists():
        return []
    return [json.loads(x) for x in p.read_text(encoding="utf-8").splitlines() if x.strip()]


def verify_chain() -> int | None:
    """The 1-based number of the first line whose `prev` does not match the line before it; None when intact."""
    p = audit_path()
    if not p.exists():
        return None
    prev = "0" * 64
    for i, raw in enumerate(p.read_bytes().splitlines(), start=1):
        if not raw.strip():
            continue
        if json.loads(raw).get("prev") != prev:
            return i
        prev = hashlib.sha256(raw).hexdigest()
    return None
