"""Secret detectors: stated passwords (many languages, look-alike spellings), stated PINs
and codes (digits possibly spaced), provider API keys and tokens, JWTs, private key
blocks, credentials in connection strings, and high-entropy tokens.

High-entropy policy: a token next to a secret keyword (key, token, secret, ...) is
reported when it is long and mixed enough; a standalone token only when it is very
random (length >= 24, upper + lower + digits, entropy >= 4 bits/char). Pure hex strings
(git SHAs, checksums) and UUIDs are content identifiers, not credentials: they are
reported only next to a secret keyword.
"""
from __future__ import annotations

import bisect
import re
from typing import Iterator, Sequence

from .credential_syntax import names_a_secret, templated
from .hits import Hit
from .normalize import Normalized, keyword_key, keyword_pattern, keyword_variants, whole_word
from .pii_patterns import trim_url
from .validators import char_classes, decode_printable, mean_segment_length, shannon_entropy

_TOKEN_CHAR = re.compile(r"[A-Za-z0-9_\-]")

# -- provider keys and tokens ----------------------------------------------------------
#: (entity type, score, literal prefixes, pattern). A pattern runs only when one of its
#: prefixes occurs in the text, and starts with that literal, so that scans stay fast.
_AWS_PREFIXES = ("AKIA", "ASIA", "ABIA", "ACCA", "AGPA", "AIDA", "AIPA", "ANPA", "ANVA", "APKA", "AROA", "ASCA")
_PROVIDER_SPECS: tuple[tuple[str, float, tuple[str, ...], str], ...] = (
    ("API_KEY", 0.97, _AWS_PREFIXES, r"(?:" + "|".join(_AWS_PREFIXES) + r")[A-Z0-9]{16}"),  # AWS key id
    ("API_KEY", 0.99, ("gh",), r"gh[pousr]_[A-Za-z0-9]{36,255}"),                 # GitHub tokens
    ("API_KEY", 0.99, ("github_pat_",), r"github_pat_[A-Za-z0-9_]{22,255}"),      # GitHub fine-grained
    ("API_KEY", 0.97, ("glpat-",), r"glpat-[A-Za-z0-9_\-]{20,}"),                 # GitLab
    ("API_KEY", 0.97, ("xox",), r"xox[abposre]-[A-Za-z0-9\-]{10,250}"),          # Slack tokens
    ("API_KEY", 0.95, ("gsk_",), r"gsk_[A-Za-z0-9]{20,}"),                        # Groq
    ("API_KEY", 0.9, ("sk-",), r"sk-(?:proj-|svcacct-|admin-|ant-(?:api|admin)\d\d-)?(?=[A-Za-z0-9_\-]*\d)"
                               r"[A-Za-z0-9_\-]{20,}"),                          # OpenAI / Anthropic style
    ("API_KEY", 0.97, ("AIza",), r"AIza[0-9A-Za-z_\-]{35}"),                      # Google API key
    ("SECRET_TOKEN", 0.95, ("ya29.",), r"ya29\.[0-9A-Za-z_\-]{20,}"),              # Google OAuth token
    ("API_KEY", 0.97, ("_live_", "_test_"), r"[spr]k_(?:live|test)_[0-9A-Za-z]{10,99}"),  # Stripe
    ("SECRET_TOKEN", 0.95, ("whsec_",), r"whsec_[0-9A-Za-z]{20,}"),                 # Stripe webhook secret
    ("API_KEY", 0.95, ("hf_",), r"hf_[A-Za-z0-9]{30,}"),                          # Hugging Face
    ("API_KEY", 0.95, ("npm_",), r"npm_[A-Za-z0-9]{36}"),                         # npm
    ("API_KEY", 0.95, ("SG.",), r"SG\.[A-Za-z0-9_\-]{22}\.[A-Za-z0-9_\-]{43}"),     # SendGrid
    ("JWT", 0.97, ("eyJ",), r"eyJ[A-Za-z0-9_\-]{5,}\.eyJ[A-Za-z0-9_\-]{5,}\.[A-Za-z0-9_\-]*"),  # JSON Web Token
    ("SECRET_TOKEN", 0.95, ("hooks.slack.com",), r"https://hooks\.slack\.com/services/[A-Za-z0-9/]{20,}"),
)
_PROVIDERS = tuple((etype, score, hints, re.compile(p + r"(?![A-Za-z0-9_\-])"))
                   for etype, score, hints, p in _PROVIDER_SPECS)


def provider_type(value: str) -> str | None:
    """The entity type when all of ``value`` is a provider key or token, else ``None``."""
    for etype, _, hints, pattern in _PROVIDERS:
        if any(h in value for h in hints):
            m = pattern.match(value)
            if m and m.end() == len(value):
                return etype
    return None


_PROVIDER_HEADS = tuple((hints, re.compile(p)) for _, _, hints, p in _PROVIDER_SPECS)


def longest_provider_key(value: str, ends: Sequence[int]) -> tuple[int, str] | None:
    """The longest of ``ends`` (ascending offsets into ``value``) at which ``value[:end]``
    is a whole provider key, with the key's entity type, if any: each pattern is matched
    once, greedily, and only the last end it reaches is checked (linear in ``value``)."""
    best: tuple[int, str] | None = None
    for hints, head in _PROVIDER_HEADS:
        if any(h in value for h in hints) and (m := head.match(value)) is not None:
            i = bisect.bisect_right(ends, m.end()) - 1
            if i >= 0 and (best is None or ends[i] > best[0]) and (etype := provider_type(value[:ends[i]])):
                best = (ends[i], etype)
    return best


def provider_keys(work: Normalized) -> Iterator[Hit]:
    text = work.text
    for etype, score, hints, pattern in _PROVIDERS:
        if any(h in text for h in hints):
            for m in pattern.finditer(text):
                if not (m.start() and _TOKEN_CHAR.match(text, m.start() - 1)):
                    yield Hit(m.start(), m.end(), etype, score)


# -- private key blocks ---------------------------------------------------------------
_PEM_BEGIN = re.compile(r"-----BEGIN (?P<label>(?:[A-Z0-9]+ ){0,3}PRIVATE KEY(?: BLOCK)?)-----")
_PEM_BODY = re.compile(r"(?:\s*(?:[A-Za-z0-9+/=]{8,}|[\w-]{2,40}: [^\r\n]{0,200}))*")


def private_keys(work: Normalized) -> Iterator[Hit]:
    text = work.text
    if "PRIVATE KEY" not in text:
        return
    pos = 0
    while (m := _PEM_BEGIN.search(text, pos)) is not None:
        footer = f"-----END {m.group('label')}-----"
        end = text.find(footer, m.end())
        # an unterminated block (truncated paste) is masked up to the end of its body
        end = end + len(footer) if end >= 0 else _PEM_BODY.match(text, m.end()).end()
        yield Hit(m.start(), end, "PRIVATE_KEY", 0.99)
        pos = end


# -- credentials in URIs / connection strings -----------------------------------------
_CONN = re.compile(r"(?<![\w+.\-])[A-Za-z][A-Za-z0-9+.\-]{1,20}://[^\s:/@\"'<>]{1,128}:[^\s@/\"'<>]{1,256}@"
                   r"[^\s\"'<>`]{1,2048}")


def connection_strings(work: Normalized) -> Iterator[Hit]:
    text = work.text
    if "://" not in text or "@" not in text:
        return
    for m in _CONN.finditer(text):
        yield Hit(m.start(), trim_url(text, m.start(), m.end()), "CONNECTION_STRING", 0.97)


# -- HTTP authorization ---------------------------------------------------------------
_AUTH = re.compile(r"(?<![\w])(?:(?P<bearer>Bearer)\s+(?P<tok>[A-Za-z0-9\-._~+/]{16,}=*)"
                   r"|(?P<basic>Basic)\s+(?P<b64>[A-Za-z0-9+/]{8,}={0,2}))(?![\w\-.~+/=])")


def auth_headers(work: Normalized) -> Iterator[Hit]:
    text = work.text
    if "Bearer" not in text and "Basic" not in text:
        return
    for m in _AUTH.finditer(text):
        if m.group("bearer") and char_classes(m.group("tok")) >= 2:
            yield Hit(m.start("tok"), m.end("tok"), "SECRET_TOKEN", 0.9)
        elif m.group("basic") and ":" in (decode_printable(m.group("b64"), 3) or ""):
            yield Hit(m.start("b64"), m.end("b64"), "SECRET_TOKEN", 0.95)


# -- stated passwords and keyed secrets ----------------------------------------------
#: Keyword -> kind. "password" keywords accept a plain word as the value after "is" or
#: ":"; "weak" ones (pass, mdp) need ":" or "="; "pin" ones a 4-8 digit value; "key"
#: ones a value that looks like a key; "user" ones (a user name, SEMI_SENSITIVE) an
#: explicit "is", ":" or "=". All are sought in the skeleton, so look-alike and
#: leetspeak spellings match (p@ssw0rd, pаssword, $3cr37 70k3n).
_KEYWORDS = {
    **dict.fromkeys(("password", "passwort", "passwd", "passphrase", "passcode", "pswd", "pwd", "pw",
                     "kennwort", "mot de passe", "wachtwoord", "lösenord", "adgangskode", "salasana",
                     "contraseña", "contrasena", "clave", "senha", "hasło", "haslo", "parola", "şifre", "sifre",
                     "пароль", "пароля", "heslo", "jelszó", "κωδικός",
                     "密码", "密碼", "口令", "パスワード", "비밀번호", "암호"), "password"),
    "pass": "weak", "mdp": "weak",
    **dict.fromkeys(("pin", "pin code", "pin number", "security code", "cvv", "cvv2", "cvc", "cvc2", "csc",
                     "verification code", "access code", "geheimzahl", "code pin", "code de sécurité",
                     "code de vérification", "código pin", "codigo pin", "código de seguridad",
                     "codigo de seguridad", "código de verificación", "codigo de verificacion", "пин-код",
                     "pin-код", "验证码", "暗証番号"), "pin"),
    **dict.fromkeys(("api key", "apikey", "api token", "access key", "access key id", "secret access key",
                     "access token", "auth token", "refresh token", "client secret", "secret key", "secret",
                     "private key", "token", "api secret", "app secret", "signing key", "encryption key",
                     "bearer token", "session token", "session key", "webhook secret", "credentials"), "key"),
    **dict.fromkeys(("username", "user name", "user id", "userid", "login", "login id", "benutzername",
                     "nom d'utilisateur", "usuario", "nombre de usuario", "usuário", "логин", "用户名"), "user"),
}
_KINDS = {keyword_key(v): kind for w, kind in _KEYWORDS.items() for v in keyword_variants(w)}
_PLAIN_KEYWORDS = frozenset(w.replace(" ", "") for w in _KEYWORDS)
#: Words starting with "p" are the common case and cheap to scan for; the others are
#: sought only when one of their anchors occurs.
_P_RE = re.compile(keyword_pattern(w for w in _KEYWORDS if w.startswith("p")))
_OTHER_RE = re.compile(keyword_pattern(w for w in _KEYWORDS if not w.startswith("p")))
_OTHER_ANCHORS = tuple(sorted({"key", "token", "secret", "credential", "mdp", "user", "login", "usuario",
                               "usuário", "benutzer", "логин", "用户名", "code", "cvv", "cvc", "csc", "geheimzahl",
                               "código", "codigo", "пин", "验证码", "暗証番号"} | {
    v for w, kind in _KEYWORDS.items() if kind == "password" and not w.startswith("p")
    for v in keyword_variants(w)}))


def keyword_matches(work: Normalized) -> list[tuple[re.Match[str], str]]:
    """Whole-word keyword matches in the skeleton, with their kind (found once a text)."""
    if "secret_keywords" not in work.shared:
        skel = work.skeleton
        matches = list(_P_RE.finditer(skel))
        if any(a in skel for a in _OTHER_ANCHORS):
            matches += _OTHER_RE.finditer(skel)
        work.shared["secret_keywords"] = [
            (m, kind) for m in matches
            if (kind := _KINDS.get(keyword_key(m.group()))) is not None and whole_word(skel, m.start(), m.end())]
    return work.shared["secret_keywords"]


_QUOTES_OPEN, _QUOTES_CLOSE = "\"'`“‘«「", "\"'`”’»」"
_VALUE = (r"(?:(?P<q>[" + _QUOTES_OPEN + r"])(?P<qv>[^" + _QUOTES_CLOSE + r"\r\n]{1,128})[" + _QUOTES_CLOSE + r"]"
          r"|(?P<v>[^\s\"'`“”‘’«»「」<>，。；、！？\u3000-\u303f\u4e00-\u9fff]{1,128}))")
#: After a keyword: an optional qualifier ("for my bank account", "für das Portal von
#: Holsten Drewes AG"), an explicit
#: separator ("is", ":", "=", "是"), then the value.
_STATED = re.compile(
    r"[\"'`]?"                                                            # end of a JSON/YAML key
    r"(?:\s{1,4}(?:for|to|of|on|at|in|für|pour|para|per|для|от)(?:\s{1,4}[^\s:=\"']{1,40}){1,10}?)?"
    r"(?P<sep>\s{0,4}(?::=|==|=>|->|=|:)\s{0,8}"
    r"|\s{1,4}(?:is|was|ist|war|est|était|es|era|é|è|är|er|это|[-–—]+)(?:\s{0,2}:)?\s{1,8}"
    r"|\s{0,2}(?:是|为|為|は)\s{0,2})" + _VALUE, re.IGNORECASE)
#: Or the value right after the keyword ("password hunter2"), which must look secret.
_BARE = re.compile(r"[\"'`]?(?P<sep>[ \t]{1,4})" + _VALUE)

#: Words that follow "password is" / "password:" in ordinary prose about passwords.
_PROSE = frozenset("""
a an the not no too very so quite really also still now only just then this that these those it its
my your his her our their what which who whom how where when why whether if as and or but nor for to
of on in at by with from into about over under than like because since while
incorrect wrong correct right required mandatory optional invalid valid empty blank strong weak long
short same different saved stored hashed encrypted encoded salted set changed expired reset case
missing protected secure insecure compromised leaked forgotten lost weak enabled disabled needed
necessary enough used sent shown hidden visible displayed typed entered generated random unique
secret private public important known unknown easy hard simple complex good bad great fine ok okay
must should will would can could may might shall need needs has have had does do did is are was were
be been being get gets got here there below above following attached case-sensitive sensitive
sur pas le la les un une des est et ou de du mon ma mes ton ta tes son sa ses
der die das ein eine ist und oder nicht zu mein meine dein deine sein seine
el los las uno una es y o no de mi mis tu tus su sus
enter type provide input use change update create choose pick set new old current your_password
user username
field manager managers policy policies hint hints length strength
all see ask tbd tba n/a
""".split())
#: Values that are placeholders or code, not secrets: "****", "<password>", "${PW}",
#: "None", "str", a call "getpass()", an index "form['pw']", the next attribute
#: 'placeholder="..."', an attribute of a usual object "self.password" (but "john.doe"
#: stays a value). Template variables ("$DB_PASS", "%PASSWORD%") and attribute chains
#: ("SystemContext.User.Id") are judged by :func:`_is_placeholder`.
_PLACEHOLDER = re.compile(r"(?i:^(?:\*+|your[_\-][\w\-]+|[\w\-]+[_\-]here|x+|X+|\.+|_+|-+|#+|\?+|<[^>]*>?|\{[^}]*\}?|\[[^\]]*\]?|\$\{[^}]*\}?|"
                          r"--.*|-[A-Za-z][A-Za-z]+|![A-Za-z][\w!]*|"
                          r"%s|null|none|nil|true|false|yes|no|undefined|str|string|int|bool|bytes|secretstr|"
                          r"getpass.*|input\(.*|env\(.*|.*\(.*|[A-Za-z_][\w.]*\[.*|[A-Za-z_][\w\-]*=.*|"
                          r"(?:self|this|cls|os|config|conf|cfg|settings|env|request|req|args|opts|options|params|"
                          r"form|data|secrets|process|app|ctx|context|credentials|creds|auth|st|session|user|db|"
                          r"props|state|window|document|vault|keyring|var|local|module)\.[\w.]+)$)")
#: "$name" / "%name%" (shell, PHP, Windows, printf) and "A.B.C" attribute chains.
_TEMPLATE_VAR = re.compile(r"[$%](?P<name>\w+)%?")
_CHAIN = re.compile(r"[A-Za-z_]\w*(?:\.[A-Z]\w*)+")
#: An attribute chain of any case with a camel-case or snake-case name in it
#: ("passwordField.text", "cfg.db_password"), which a value of prose ("john.doe") lacks.
_CODE_CHAIN = re.compile(r"[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)+")
_CODE_NAME = re.compile(r"[a-z][A-Z]|[A-Za-z]_[A-Za-z]").search
#: A name written like an identifier: one case (letters, underscores, trailing digits:
#: "DB_PASS", "password2", "s"), or camel / Pascal case made of word-like humps (a
#: capital, then lower-case letters: "dbPassword", "SystemContext", "Id"); not a random
#: mixed-case token ("dYEVw2ohfNnIH", "L8LZ").
_IDENTIFIER = re.compile(r"_*(?:[a-z][a-z_]*|[A-Z][A-Z_]*)[0-9]*|[0-9]{1,2}|_*[a-z]{2,}(?:[A-Z][a-z]+)+|(?:[A-Z][a-z]+)+")


def _is_placeholder(value: str) -> bool:
    """Whether ``value`` is a placeholder or a piece of code rather than a secret (see
    ``_PLACEHOLDER``); a template variable or attribute chain only when its names look
    like identifiers, so that a password starting with "$" or "%" is still a password."""
    if _PLACEHOLDER.match(value):
        return True
    var = _TEMPLATE_VAR.fullmatch(value)
    if var is not None:
        return _IDENTIFIER.fullmatch(var.group("name")) is not None
    if _CODE_CHAIN.fullmatch(value) is not None and _CODE_NAME(value) is not None:
        return all(_IDENTIFIER.fullmatch(p) for p in value.split("."))
    return _CHAIN.fullmatch(value) is not None and all(_IDENTIFIER.fullmatch(p) for p in value.split("."))

_PIN = re.compile(r"\d{4,8}")
_PIN_LIKE = re.compile(r"\d{4,12}")
_ASSIGNMENTS = (":", "=", ":=", "==", "=>", "->")
_COMPARISONS = ("==", "=>", "->", ":=")


_NEXT_FIELD = re.compile(r"[&;,](?=[\w.\-]{1,40}=)")   # "pw=x&user=y", "Password=x;Database=y"


def _strip_tail(value: str) -> str:
    """An unquoted value without a following ``&key=``/``;key=`` field or trailing punctuation."""
    value = _NEXT_FIELD.split(value, 1)[0]
    return value.rstrip(".,;:?)]}\\") or value


def looks_secret(value: str, min_len: int = 6) -> bool:
    """A token that mixes character classes like a password or key does."""
    return len(value) >= min_len and (
        (any(c.isdigit() for c in value) and any(c.isalpha() for c in value))
        or (any(not c.isalnum() for c in value) and any(c.isalnum() for c in value))
        or char_classes(value) >= 3)


def _value_ok(kind: str, value: str, sep: str, quoted: bool) -> bool:
    """Decide whether the text after a keyword is the secret itself."""
    if (not value or _is_placeholder(value) or templated(value) or names_a_secret(value)
            or keyword_key(value.lower()) in _PLAIN_KEYWORDS):
        return False
    plain = not sep.strip()
    if not quoted and sep.strip() in _COMPARISONS:      # "UserId == SystemContext.User.Id"
        return False
    if kind == "pin":
        return bool(_PIN.fullmatch(value))
    if kind == "weak":
        return sep.strip() in _ASSIGNMENTS and len(value) >= 4 and value.lower() not in _PROSE
    if kind == "key":
        return looks_secret(value, 8) and (not plain or shannon_entropy(value) >= 3.0)
    if kind == "user" and plain:
        return False
    if quoted:
        return True
    if plain:
        return looks_secret(value) or bool(_PIN_LIKE.fullmatch(value))
    return len(value) >= 3 and value.lower() not in _PROSE and not _is_prose_word(value)


def _is_prose_word(value: str) -> bool:
    """Lower-case words ending like participles or adverbs ("hashed", "expiring")."""
    return value.isalpha() and value.islower() and len(value) >= 5 and value.endswith(("ed", "ing", "ly"))


#: Between the fragments of a password split to slip past the patterns: a newline, or 1-3
#: blanks, with one of . - _ / | · • + ~ * between blanks ("Em  be  r!", "Vio . let . #42").
#: (A separator without blanks leaves one token, which the value pattern takes whole.)
_RUN_SEP = re.compile(r"[ \t]{0,2}\r?\n[ \t]{0,2}|[ \t]{1,3}(?:[.\-_/|·•+~*][ \t]{1,3})?")
_RUN_FRAGMENT = re.compile(r"\S{1,6}(?!\S)")
_OPENERS = "([{<\"'`“‘«「"
_MAX_FRAGMENTS = 128


def _fragments(text: str, start: int, first_end: int) -> tuple[list[str], int]:
    """The fragments of a password written in short pieces, and where the last ends. The
    first is ``text[start:first_end]``; the following ones are joined by the separator of
    the first two (blanks, a newline, " . ", " - ", ...), none longer than the first (a
    value cut into chunks), up to a different separator, an opening bracket or quote, a
    common word, or a fragment ending a clause ("65." in "... 65. Write a haiku").
    A lone "-" or "*" between blanks may be a fragment rather than a separator ("e  -  v"
    in "s  a  b  l  e  -  v ..."): the reading with more fragments wins."""
    first = _RUN_SEP.match(text, first_end)
    if first is None:
        return [text[start:first_end]], first_end
    blanks = first.group()[:len(first.group()) - len(first.group().lstrip(" \t"))] or first.group()
    runs = [_fragments_with(text, start, first_end, sep) for sep in sorted({first.group(), blanks})]
    return max(runs, key=lambda run: len(run[0]))


def _fragments_with(text: str, start: int, first_end: int, sep: str) -> tuple[list[str], int]:
    """:func:`_fragments` with the separator ``sep``."""
    size, end = first_end - start, first_end
    fragments = [text[start:first_end]]
    while len(fragments) < _MAX_FRAGMENTS and text.startswith(sep, end):
        f = _RUN_FRAGMENT.match(text, end + len(sep))
        if f is None:
            break
        frag = f.group()
        core = frag.rstrip(".,;:") or frag
        if frag[0] in _OPENERS or len(core) > size or _common_word(core):
            break
        fragments.append(core)
        end = f.start() + len(core)
        if core != frag:                                # "65." ends the sentence
            break
    return fragments, end


def _common_word(fragment: str) -> bool:
    """A word of prose (3+ letters: "be", "or", "it" are also pieces of split words)."""
    return len(fragment) > 2 and fragment.lower() in _PROSE


def looks_like_password(fragments: list[str]) -> bool:
    """Whether the fragments of a split value, joined, look like a password rather than
    words: 6+ characters with letters and digits or symbols, mixing three character
    classes or random enough (3+ bits/char); letters alone when their case changes at
    random inside most fragments ("MLa lGS ORU EC", not "Early sign war claim"); or 6-12
    digits. Not "12 or 16" nor "too short"."""
    value = "".join(fragments)
    if len(value) < 6:
        return False
    if value.isdigit():
        return len(value) <= 12
    if value.isalpha():
        words = [f for f in fragments if len(f) > 1]
        mixed = sum(not (f.islower() or f.isupper() or f.istitle()) for f in words)
        return shannon_entropy(value) >= 3.0 and 2 * mixed >= len(words) > 0
    if not any(c.isalpha() for c in value):
        return False
    return char_classes(value) >= 3 or shannon_entropy(value) >= 3.0


def _split_password(text: str, start: int, value: str) -> str:
    """``value`` extended over the fragments that follow it when together they look like
    a password ("Em  be  r!  92  30"), else ``value`` itself."""
    if len(value) > 6 or _common_word(value):
        return value
    fragments, end = _fragments(text, start, start + len(value))
    if len(fragments) < 2 or not looks_like_password(fragments):
        return value
    return text[start:end]


#: A keyword inside the name of a variable ("$GH_TOKEN", "${DB_PASSWORD}"): what follows
#: the reference is not its value, unless it is assigned one (``$password = "..."``).
_IN_VARIABLE = re.compile(r"\$\{?\w*\Z")


def stated_secrets(work: Normalized) -> Iterator[Hit]:
    """Values announced by a keyword: "my password is ...", "pw: ...", "API_KEY=...",
    "密码是...", in look-alike spellings too."""
    text = work.text
    for k, kind in keyword_matches(work):
        m = _STATED.match(text, k.end()) or _BARE.match(text, k.end())
        if m is None or (m.group("sep").strip() not in ("=", ":=")
                         and _IN_VARIABLE.search(text, max(0, k.start() - 64), k.start())):
            continue
        quoted = m.group("qv") is not None
        group = "qv" if quoted else "v"
        value = m.group(group) if quoted else _strip_tail(m.group("v"))
        start = m.start(group)
        if kind == "password" and not quoted and m.group("sep").strip() and value == m.group("v"):
            value = _split_password(text, start, value)
        if not _value_ok(kind, value, m.group("sep"), quoted):
            continue
        if kind == "key":
            etype = "API_KEY" if "api" in k.group() else "SECRET_TOKEN"
            yield Hit(start, start + len(value), etype, 0.85)
        elif kind == "user":
            yield Hit(start, start + len(value), "USERNAME", 0.8)
        else:
            yield Hit(start, start + len(value), "PASSWORD", 0.85 if kind in ("weak", "pin") else 0.95)


# -- stated PINs and codes, digits possibly spaced ----------------------------------
#: After a PIN / passcode / security code / CVV / verification code (or password)
#: keyword: an optional short qualifier ("for account 3", "of my card", "to the
#: garage"), an optional "number", an explicit separator (":", "=", "is", "was", "ist",
#: "est", "es", "是", ...), then a run of digits, contiguous or cut by one repeated
#: separator (a space, a dash or a dot: "4 8 1 5 1 6", "48-15-16", "481.516").
_PIN_STATED = re.compile(
    r"[\"'`]?"
    r"(?:\s{1,4}(?:for|to|of|on|at|in|für|pour|para|per|для|от)(?:\s{1,4}[^\s:=\"']{1,40}){1,10}?)?"
    r"(?:\s{1,2}(?:number|no\.?|nr\.?|#|nummer|numéro|número|номер))?"
    r"(?P<sep>\s{0,4}(?::=|=|:)\s{0,8}"
    r"|\s{1,4}(?:is|was|ist|war|est|était|es|era|é|è|är|er|это|[-–—]+)(?:\s{0,2}:)?\s{1,8}"
    r"|\s{0,2}(?:是|为|為|は)\s{0,2})"
    r"(?P<run>[0-9]{1,13}(?:(?P<s>[ .\-])[0-9]{1,12}(?:(?P=s)[0-9]{1,12}){0,11})?)", re.IGNORECASE)
#: What may not follow the run: more of a word or number, or a unit or count ("the PIN
#: is 3 pins long", "CVV is 3 digits", "pin of the regulator is 12.5 V").
_PIN_AFTER = re.compile(
    r"\w|[ .\-,:/][0-9]|\s{0,2}(?:digits?|numbers?|characters?|chars?|letters?|places|positions|long|"
    r"years?|months?|weeks?|days?|hours?|h|minutes?|mins?|seconds?|secs?|s|ms|times|attempts?|tries|"
    r"chiffres|caractères|stellen|stellig|zeichen|dígitos|digitos|caracteres|цифр\w*|"
    r"[mk]?V|[mµ]?A|W|[kMG]?Hz|Ω|ohms?|mm|cm|m|°\w?|%|x|dollars?|euros?|€|\$|位|桁)(?!\w)", re.IGNORECASE)
_PIN_MIN, _PIN_MAX = 3, 12


def stated_pins(work: Normalized) -> Iterator[Hit]:
    """PINs and codes stated after their keyword, their digits possibly spaced: "my PIN
    for account 3 is 4 8 1 5 1 6", "CVV: 123", "security code of my card = 48-15-16"
    (3-12 digits; not "PIN 2 of the connector", "the PIN is 3 pins long")."""
    text = work.text
    for k, kind in keyword_matches(work):
        if kind not in ("pin", "password") or (m := _PIN_STATED.match(text, k.end())) is None:
            continue
        run = m.group("run")
        digits = len(run) - (run.count(m.group("s")) if m.group("s") else 0)
        if not _PIN_MIN <= digits <= _PIN_MAX or _PIN_AFTER.match(text, m.end()):
            continue
        if m.group("s") == "." and run.count(".") == 1 and digits < 4:    # a decimal number ("12.5")
            continue
        yield Hit(m.start("run"), m.end("run"), "PASSWORD", 0.85)


# -- high-entropy tokens ---------------------------------------------------------------
_TOKEN = re.compile(r"[A-Za-z0-9_+\-](?<![A-Za-z0-9_+/\-.].)[A-Za-z0-9_+\-]{23,511}={0,2}(?![A-Za-z0-9_+/=\-])")
_HEXISH = re.compile(r"(?:0x)?[0-9a-fA-F\-]+")


def high_entropy_tokens(work: Normalized) -> Iterator[Hit]:
    """Standalone tokens random enough to be credentials (see the module doc)."""
    for m in _TOKEN.finditer(work.text):
        token = m.group().rstrip("=")
        if not _HEXISH.fullmatch(token) and is_random_token(token):
            yield Hit(m.start(), m.end(), "HIGH_ENTROPY_SECRET", 0.75)


def is_random_token(token: str) -> bool:
    """Upper and lower case and 2+ digits, >= 4 bits/char, no word-like segments."""
    return (len(token) >= 24 and any(c.isupper() for c in token) and any(c.islower() for c in token)
            and sum(c.isdigit() for c in token) >= 2 and shannon_entropy(token) >= 4.0
            and mean_segment_length(token) <= 3.2)


SECRET_DETECTORS = (provider_keys, private_keys, connection_strings, auth_headers, stated_secrets, stated_pins,
                    high_entropy_tokens)
