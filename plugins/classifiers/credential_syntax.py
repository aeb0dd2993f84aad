"""Credentials found by the syntax around them: values bound to secret-named keys in
configs and code, passwords given as arguments of login and connect calls, passwords in
command-line flags, the password of a URL without a user, and random tokens a cue word
announces in prose.

Only the value is reported, never the key, so the masked text stays readable. Values
that are placeholders or code are not secrets: ``***``, ``<password>``, ``${DB_PASS}``,
``{{ secret }}``, ``$PASS``, ``%PASS%``, ``your-password-here``, a call, an attribute
chain, an identifier, a YAML tag; literal defaults (``changeme``) are secrets.
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Iterator

from .hits import Hit
from .normalize import Normalized

_DIGIT = re.compile(r"\d").search
_LETTER = re.compile(r"[^\W\d_]").search
_SYMBOL = re.compile(r"[\W_]").search


def looks_secret(value: str, min_len: int) -> bool:
    """At least ``min_len`` characters mixing letters and digits, or symbols with either."""
    return len(value) >= min_len and (bool(_DIGIT(value)) or bool(_LETTER(value))) and (
        bool(_SYMBOL(value)) or (bool(_DIGIT(value)) and bool(_LETTER(value))))


_APP_PASSWORD = re.compile(r"[a-z]{4}(?: [a-z]{4}){3}")
_TEMPLATE_MARK = re.compile(r"\$\{|\{\{|\}\}|#\{|\$\(")
_PLACEHOLDER = re.compile(r"\{\w*\}|%\(?\w*\)?[sd]|<[^<>]*>|\*+|[xX]{3,}|\.{3,}|\$[A-Za-z_]\w*|%[A-Za-z_]\w*%"
                          r"|(?i:example|placeholder|redacted|your[-_ ].*|.*[-_ ]here)")


def templated(value: str) -> bool:
    """Whether ``value`` holds a template's mark (``${``, ``{{``, ``}}``, ``#{``, ``$(``)."""
    return _TEMPLATE_MARK.search(value) is not None


def is_template(value: str) -> bool:
    """A placeholder or a template variable rather than a value."""
    return templated(value) or _PLACEHOLDER.fullmatch(value) is not None


_NAME_PART = re.compile(r"[A-Za-z]{2,}[A-Za-z0-9]*")
_NAME_SPLIT = re.compile(r"[-_/:.]+")
_SECRET_WORDS = frozenset(("password", "passwd", "pwd", "pass", "pw", "passphrase", "secret", "secrets", "token",
                           "auth", "credential", "credentials", "creds", "key", "apikey"))


def names_a_secret(value: str) -> bool:
    """Whether ``value`` is the name or path of a secret rather than the secret: words
    joined by ``-_/:.``, one of them a secret word (``app_password``, ``client-secret``,
    ``secret/data/ci:token``); a part of digits keeps it a value (``Password_123``), and
    so does camel case (``MyPassword`` is a weak password, not a name)."""
    parts = [p for p in _NAME_SPLIT.split(value) if p]
    return (len(parts) > 1 and all(_NAME_PART.fullmatch(p) for p in parts)
            and any(p.lower() in _SECRET_WORDS for p in parts))


_CODE = re.compile(r"[A-Za-z_][\w.]*\(|^[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)+$|^[A-Za-z_][\w.]*\[|^!\w+$|^[$%&@*{<]|^--"
                   r"|^(?:Get|Set|New|Read|Write|Remove|Add|Invoke|Start|Stop|Test|ConvertTo|ConvertFrom|Import|"
                   r"Export|Out|Select|Update|Clear|Copy|Move|Join|Split|Resolve|Register|Enable|Disable)-[A-Z]\w+$")
_WORDS = frozenset("""none null nil true false yes no on off undefined str string int bool bytes required optional
include omit password passwd secret token key auth credentials basic bearer digest default empty hidden""".split())


def literal_ok(value: str, quoted: bool, token: bool = False) -> bool:
    """Whether ``value`` (quoted in the source or not) is a secret literal rather than a
    placeholder, code or an ordinary word; ``token`` asks for a key-like value."""
    if len(value) < (8 if token else 4) or is_template(value) or value.lower() in _WORDS or names_a_secret(value):
        return False
    if " " in value:
        return bool(_APP_PASSWORD.fullmatch(value))
    if quoted:
        return not token or looks_secret(value, 8) or (len(value) >= 16 and len(set(value)) >= 12)
    return not _CODE.search(value) and looks_secret(value, 8 if token else 6)


# -- values bound to secret-named keys -----------------------------------------------------
_PASSWORD_PARTS = frozenset(("password", "passwd", "pwd", "pass", "pw", "passphrase", "passcode", "passwort",
                             "kennwort"))
_TOKEN_PARTS = frozenset(("secret", "token", "credentials", "credential", "auth", "salt", "apikey", "secretkey",
                          "privatekey", "accesskey", "authkey"))
_KEY_QUALIFIERS = frozenset(("api", "private", "secret", "access", "auth", "signing", "encryption", "master",
                             "app", "client", "license", "account", "storage", "subscription", "session", "hmac",
                             "jwt", "webhook", "consumer", "shared"))
_SPLIT_KEY = re.compile(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])|\d+")


@lru_cache(maxsize=4096)
def key_kind(key: str) -> str | None:
    """``"password"``, ``"token"`` or ``None`` for a key name such as ``DB_PASSWORD``,
    ``clientSecret``, ``spring.datasource.password``, ``PGPASSWORD`` or ``AUTH_KEY``: the
    last word of the name decides (``password_min_length`` is not a secret)."""
    parts = [p.lower() for p in _SPLIT_KEY.findall(re.split(r"[.\[/]", key)[-1])]
    if not parts:
        return None
    last, low = parts[-1], key.lower()
    if last in _PASSWORD_PARTS or low.endswith(("password", "passwd")):
        return "password"
    if last in _TOKEN_PARTS or low.endswith(("secret", "token", "apikey", "api_key")):
        return "token"
    if last == "key" and len(parts) > 1 and parts[-2] in _KEY_QUALIFIERS:
        return "token"
    return None


_CUE = re.compile(r"(?:pass|pw|secret|token|auth|credential|key|salt)[\w.\-]*+"
                  r"(?=[\"'`]?\]?[ \t]{0,4}[=:>,]|[\"'][ \t]|[\"']?[ \t]*\r?\n[ \t]+value:)")
_CUE_GATES = ("pass", "pw", "secret", "token", "auth", "credential", "key", "salt")
_KEY_HEAD = re.compile(r"[\w.\-]+\Z")
_Q = r"(?:\"(?P<dq>[^\"\n]{1,300})\"|'(?P<sq>[^'\n]{1,300})'|`(?P<bq>[^`\n]{1,300})`)"
_BARE = r"(?P<v>[^\s\"'`,;)}\]<>]{1,300})"
#: After a key: an assignment ("=", ":", ":=", "=>"; not "==") and a value; a quoted key
#: and a quoted value after a comma (``define('DB_PASSWORD', '...')``); an XML element's
#: text (``<password>...</password>``); the value attribute after a ``key="..."`` one.
_ASSIGN = re.compile(r"(?P<kq>[\"'`]?\]?)[ \t]{0,4}(?::=|=>|=(?!=)|:(?!:))[ \t]{0,8}(?:" + _Q + "|" + _BARE + ")")
_PAIR = re.compile(r"[\"'][ \t]{0,4},[ \t]{0,4}" + _Q)
_ELEMENT = re.compile(r">(?P<v>[^<\n]{1,300})</")
#: A container's environment variable: ``- name: DB_PASS`` then ``value: "..."``.
_NAME_BEFORE = re.compile(r"name:[ \t]*[\"']?\Z")
_ENV_VALUE = re.compile(r"[\"']?[ \t]*\r?\n[ \t]+value:[ \t]*(?:" + _Q + "|" + _BARE + ")")
_ATTRIBUTE = re.compile(r"\"[ \t]{1,8}(?:value|content)[ \t]*=[ \t]*" + _Q)


def _value(m: re.Match[str]) -> tuple[str, int, bool]:
    """The value a pattern matched, where it starts, and whether it was quoted."""
    groups = m.groupdict()
    for g in ("dq", "sq", "bq"):
        if groups.get(g) is not None:
            return m.group(g), m.start(g), True
    return m.group("v"), m.start("v"), False


def keyed_values(work: Normalized) -> Iterator[Hit]:
    """Values bound to a secret-named key: ``DB_PASS=...``, ``"token": "..."``,
    ``passwd = ...``, ``SECRET_KEY = '...'``, ``define('DB_PASSWORD', '...')``,
    ``<password>...</password>``, ``key="DbPassword" value="..."``."""
    text, low = work.text, work.lower
    if not any(g in low for g in _CUE_GATES):
        return
    seen: set[int] = set()
    for c in _CUE.finditer(low):
        end = c.end()
        head = _KEY_HEAD.search(text, max(0, c.start() - 80), c.start())
        start = head.start() if head else c.start()
        if start in seen or not (text[start].isalpha() or text[start] == "_"):
            continue
        seen.add(start)
        kind = key_kind(text[start:end])
        if kind is None:
            continue
        found = _match_value(text, start, end)
        if found is None:
            continue
        value, at, quoted = found
        if not quoted and not _config_line(text, start, at + len(value)):
            value = value.rstrip(".,:!?") or value
        if literal_ok(value, quoted, kind == "token"):
            etype = "PASSWORD" if kind == "password" else ("API_KEY" if "api" in low[start:end] else "SECRET_TOKEN")
            yield Hit(at, at + len(value), etype, 0.85)


_LINE_HEAD = re.compile(r"[ \t]*(?:export[ \t]+)?[\"']?\Z")


def _config_line(text: str, key_start: int, value_end: int) -> bool:
    """Whether the key opens its line and the value closes it (``passwd = Summer2035.``),
    so that trailing punctuation belongs to the value rather than to a sentence."""
    line_start = text.rfind("\n", 0, key_start) + 1
    return (_LINE_HEAD.match(text, line_start, key_start) is not None
            and (value_end == len(text) or text[value_end] in "\r\n"))


def _match_value(text: str, start: int, end: int) -> tuple[str, int, bool] | None:
    """The value bound to the key ``text[start:end]`` by one of the syntaxes above."""
    if (m := _ASSIGN.match(text, end)) is not None:
        if m.group("kq") or not text.startswith(("<", "/"), max(start - 1, 0)):
            return _value(m)
    if start and text[start - 1] == "<" and (m := _ELEMENT.match(text, end)) is not None:
        return m.group("v").strip(), m.start("v") + len(m.group("v")) - len(m.group("v").lstrip()), False
    if start and text[start - 1] in "\"'" and (m := _PAIR.match(text, end)) is not None:
        return _value(m)
    if start and text[start - 1] == '"' and (m := _ATTRIBUTE.match(text, end)) is not None:
        return _value(m)
    if _NAME_BEFORE.search(text, max(0, start - 12), start) and (m := _ENV_VALUE.match(text, end)) is not None:
        return _value(m)
    return None


# -- arguments of login and connect calls -----------------------------------------------------
#: Calls whose third positional argument is a password (host, user, password[, db]) and
#: calls and tuples whose second one is (user, password).
_THIRD = frozenset(("mysqli", "mysqli_connect", "mysql_connect", "mysql_pconnect", "connect", "getconnection", "pdo",
                    "odbc_connect", "sqlsrv_connect"))
_SECOND = frozenset(("login", "auth_password", "httpbasicauth", "httpdigestauth", "httpproxyauth", "basicauth",
                     "digestauth", "networkcredential", "usernamepasswordcredentials", "passwordauthentication",
                     "usernamepasswordauthenticationtoken", "passwordcredential", "clientsecretcredential"))
#: A call of one of them (names in lower case) or an ``auth = (...)`` tuple.
_CALL = re.compile(r"(" + "|".join(sorted(_THIRD | _SECOND | {"auth"}, key=len, reverse=True))
                   + r")(?:[ \t]*(?P<call>\()|[\"']?[ \t]*[=:][ \t]*[(\[])")
_CALL_GATES = ("connect", "login", "auth", "pdo", "mysql", "credential", "sqlsrv")
_NUMBER = re.compile(r"\d+")


_ARG = re.compile(r"\s*(?:\"(?P<dq>[^\"\\\n]*(?:\\.[^\"\\\n]*)*)\"|'(?P<sq>[^'\\\n]*(?:\\.[^'\\\n]*)*)'"
                  r"|(?P<v>[^,()\[\]{}\"'\n]{0,200}(?:\([^()\n]{0,200}\)[^,()\[\]{}\"'\n]{0,50})?))[ \t]*(?P<comma>,)?")
_KEYWORD_ARG = re.compile(r"\w+\s*=[^=]")


def _arguments(text: str, pos: int, count: int) -> list[tuple[str, int, bool]]:
    """The first ``count`` positional arguments (numbers skipped) of a call whose "("
    ends at ``pos``: text, start, and whether each is a string literal; keyword
    arguments are skipped."""
    args: list[tuple[str, int, bool]] = []
    while len(args) < count and (m := _ARG.match(text, pos)) is not None and m.end() > pos:
        dq, sq, v = m.group("dq", "sq", "v")
        if dq is not None or sq is not None:
            args.append((dq, m.start("dq"), True) if dq is not None else (sq, m.start("sq"), True))
        elif (v := v.strip()) and not _NUMBER.fullmatch(v) and not _KEYWORD_ARG.match(v):
            args.append((v, m.start("v"), False))
        if m.group("comma") is None:
            break
        pos = m.end()
    return args


def call_arguments(work: Normalized) -> Iterator[Hit]:
    """Passwords passed as plain arguments: ``mysqli(host, user, "pw", db)``,
    ``auth=("user", "pw")``, ``db.auth("user", "pw")``, ``server.login(user, "pw")``,
    ``client.connect(h, 22, u, "pw")``."""
    text, low = work.text, work.lower
    if not ("(" in text or "[" in text) or not any(g in low for g in _CALL_GATES):
        return
    for m in _CALL.finditer(low):
        name = m.group(1)
        if (m.start() and (low[m.start() - 1].isalnum() or low[m.start() - 1] in "_$")) \
                or (name != "auth" and m.group("call") is None):
            continue
        index = 2 if name in _THIRD else 1
        args = _arguments(text, m.end(), index + 1)
        if len(args) > index and args[index][2] and literal_ok(args[index][0], True):
            value, at, _ = args[index]
            yield Hit(at, at + len(value), "PASSWORD", 0.85)


# -- command-line flags ---------------------------------------------------------------------
_VAL = r"(?:'(?P<sq>[^'\n]{1,200})'|\"(?P<dq>[^\"\n]{1,200})\"|(?P<v>[^\s'\"|;&]{1,200}))"
#: (substrings one of which the lower-cased text must hold, command pattern or None for
#: anywhere, flag patterns each ending in the value).
_COMMAND_SPECS: tuple[tuple[tuple[str, ...], re.Pattern[str] | None, tuple[re.Pattern[str], ...]], ...] = tuple(
    (gates, cmd and re.compile(cmd), tuple(re.compile(f + _VAL) for f in flags)) for gates, cmd, flags in (
        (("mysql", "mariadb"), r"\b(?:mysql\w*|mariadb\w*)\b", (r"-(?<!\S-)p(?=\S)", r"--(?<!\S--)password=")),
        (("sshpass",), r"\bsshpass\b", (r"-(?<!\S-)p[ \t]*",)),
        (("docker", "podman", "nerdctl", "buildah", "skopeo", "helm", "oras"),
         r"\b(?:docker|podman|nerdctl|buildah|skopeo|helm|oras)\b[^\n]*\blogin\b", (r"-(?<!\S-)p[ \t]+",)),
        (("ldap",), r"\bldap\w+\b", (r"-(?<!\S-)w[ \t]*",)),
        (("lftp",), r"\blftp\b", (r"-(?<!\S-)u[ \t]+[^\s,]+,",)),
        (("smb", "rpcclient"), r"\b(?:smbclient|rpcclient|smbmap|smbcacls|smbget|net)\b",
         (r"-(?<!\S-)(?:U[ \t]*|-user(?:=|[ \t]+))[^\s%]+%",)),
        (("curl",), r"\bcurl\b", (r"-(?<!\S-)(?:u|-user|U|-proxy-user)(?:=|[ \t]*)['\"]?[^\s:'\"]+:",)),
        (("use",), r"\bnet[ \t]+use\b", (r"/(?<!\S/)u(?:ser)?:\S+[ \t]+(?!\*|/)",)),
        (("htpasswd",), r"\bhtpasswd\b",
         (r"\bhtpasswd(?:[ \t]+-[a-zA-Z]+)*?[ \t]+-[a-zA-Z]*b[a-zA-Z]*(?:[ \t]+-[a-zA-Z]+)*[ \t]+\S+[ \t]+\S+[ \t]+",)),
        (("sqlcmd", "bcp", "osql", "isql"), r"\b(?:sqlcmd|bcp|osql|isql)\b", (r"-(?<!\S-)P[ \t]*",)),
        (("redis-cli",), r"\bredis-cli\b", (r"-(?<!\S-)a[ \t]+",)),
        (("mongo",), r"\bmongo(?:sh|dump|restore|import|export)?\b", (r"-(?<!\S-)p[ \t]+",)),
        (("ssh-keygen",), r"\bssh-keygen\b", (r"-(?<!\S-)[NP][ \t]*",)),
        (("az login",), r"\baz[ \t]+login\b", (r"-(?<!\S-)p[ \t]+",)),
        (("rabbitmqctl",), r"\brabbitmqctl\b", (r"\b(?:add_user|change_password)[ \t]+\S+[ \t]+",)),
        (("sudo", "password-stdin"), r"\bsudo[ \t]+-\w*S|--password-stdin",
         (r"\b(?:echo|printf)[ \t]+(?:-[ne][ \t]+)?",)),
        (("zip",), r"\b(?:un)?zip\b", (r"-(?<!\S-)P[ \t]+",)),
        (("7z",), r"\b7za?\b", (r"-(?<!\S-)p(?=\S)",)),
        (("keytool",), r"\bkeytool\b", (r"-(?<!\S-)(?:src|dest|new)?(?:storepass|keypass)[ \t]+",)),
        (("identified",), None, (r"\b(?i:identified)[ \t]+(?i:by)[ \t]+(?:(?i:password)[ \t]+)?",)),
        (("securestring",), None, (r"\b(?i:convertto-securestring)(?:[ \t]+-(?i:string|asplaintext|force)\b)*[ \t]+",)),
        (("--",), None, (r"--(?<!\S--)(?:[a-z]+-)?(?:password|passwd|pass|pwd|token|api-?key|secret|client-secret)"
                        r"(?:=|[ \t]+)",)),
    ))
#: (substring, index in _COMMANDS): the commands worth trying on a text.
_COMMAND_GATES = tuple((g, i) for i, (gates, _, _) in enumerate(_COMMAND_SPECS) for g in gates)
_COMMANDS = tuple((cmd, flags) for _, cmd, flags in _COMMAND_SPECS)


def command_flags(work: Normalized) -> Iterator[Hit]:
    """Passwords in command lines: ``mysql -uroot -pPW``, ``sshpass -p PW``, ``docker login
    -p PW``, ``ldapsearch -w PW``, ``lftp -u user,PW``, ``smbclient -U user%PW``, ``curl -u
    user:PW``, ``net use ... /user:x PW``, ``htpasswd -b file user PW``, ``--password=PW``."""
    text, low = work.text, work.lower
    for cmd, flags in {_COMMANDS[i] for gate, i in _COMMAND_GATES if gate in low}:
        lines = [(0, len(text))] if cmd is None else [_line(text, c.start()) for c in cmd.finditer(text)]
        for line_start, line_end in lines:
            for flag in flags:
                for m in flag.finditer(text, line_start, line_end):
                    value, at, quoted = _value(m)
                    if literal_ok(value, quoted) or (not quoted and len(value) >= 4 and _loose_ok(value)):
                        yield Hit(at, at + len(value), "PASSWORD", 0.85)


def _line(text: str, pos: int) -> tuple[int, int]:
    """The bounds of the line holding ``pos``."""
    end = text.find("\n", pos)
    return text.rfind("\n", 0, pos) + 1, len(text) if end < 0 else end


def _loose_ok(value: str) -> bool:
    """A command-line password a flag announces: anything not a placeholder or variable."""
    return not is_template(value) and not value.startswith(("$", "%", "-", "<")) and value not in ("*",)


# -- the password of a URL without a user ------------------------------------------------
_URL_PASSWORD = re.compile(r"(?<![\w+.\-])[A-Za-z][A-Za-z0-9+.\-]{1,20}://(?P<u>[^\s:/@\"'<>]{0,128}):"
                           r"(?P<v>[^\s@/\"'<>]{1,256})@")


def url_passwords(work: Normalized) -> Iterator[Hit]:
    """The password of ``scheme://user:pw@host`` and ``scheme://:pw@host``."""
    text = work.text
    if "://" not in text or "@" not in text:
        return
    for m in _URL_PASSWORD.finditer(text):
        if not is_template(m.group("v")) and not m.group("v").startswith(("$", "%")):
            yield Hit(m.start("v"), m.end("v"), "PASSWORD", 0.9)


# -- random tokens announced in prose ------------------------------------------------------
_CUE_WORD = re.compile(r"(?:api[ _-]?key|key|token|secret|credentials?|password|passphrase|auth)s?\b")
_CUED = re.compile(r"[A-Za-z0-9+/_\-](?<![A-Za-z0-9+/_\-].)[A-Za-z0-9+/_\-]{15,511}={0,2}")


def cued_tokens(work: Normalized) -> Iterator[Hit]:
    """A random token a few words after a cue word on its line: "token: 7f3a...", "the
    key is Zq8...", "my secret for the webhook -> ..." (tokens are found first, as they
    are rarer than cue words)."""
    text, low = work.text, work.lower
    for m in _CUED.finditer(text):
        if (m.start() and text[m.start() - 1] in "/.\\@") or (m.end() < len(text) and text[m.end()] in "/\\@"):
            continue
        if not _random_enough(m.group()):
            continue
        line_start = text.rfind("\n", 0, m.start()) + 1
        for c in _CUE_WORD.finditer(low, max(line_start, m.start() - 80), m.start()):
            if not (c.start() and low[c.start() - 1].isalnum()):
                etype = "API_KEY" if "api" in c.group() else "SECRET_TOKEN"
                yield Hit(m.start(), m.end(), etype, 0.8)
                break


_HEX = re.compile(r"[0-9a-fA-F]+")


def _random_enough(token: str) -> bool:
    """Digits and letters, 10+ distinct characters; hex strings from 24 characters."""
    core = token.rstrip("=")
    if not (_DIGIT(core) and _LETTER(core)):
        return False
    if _HEX.fullmatch(core):
        return len(core) >= 24
    return len(core) >= 16 and len(set(core)) >= 10


_PARTS = (keyed_values, call_arguments, command_flags, url_passwords, cued_tokens)


def credentials(work: Normalized) -> Iterator[Hit]:
    """Every detector of this module, in turn."""
    for detect in _PARTS:
        yield from detect(work)
