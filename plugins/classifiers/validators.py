"""Checksums and plausibility checks behind the rules detectors (pure functions)."""
from __future__ import annotations

import base64
import binascii
import hashlib
import ipaddress
import math
import re
from collections import Counter

#: IBAN length by country (ISO 13616 registry; SWIFT IBAN registry, 2024).
IBAN_LENGTHS: dict[str, int] = {
    "AD": 24, "AE": 23, "AL": 28, "AT": 20, "AZ": 28, "BA": 20, "BE": 16, "BG": 22, "BH": 22,
    "BI": 27, "BR": 29, "BY": 28, "CH": 21, "CR": 22, "CY": 28, "CZ": 24, "DE": 22, "DJ": 27,
    "DK": 18, "DO": 28, "EE": 20, "EG": 29, "ES": 24, "FI": 18, "FK": 18, "FO": 18, "FR": 27,
    "GB": 22, "GE": 22, "GI": 23, "GL": 18, "GR": 27, "GT": 28, "HR": 21, "HU": 28, "IE": 22,
    "IL": 23, "IQ": 23, "IS": 26, "IT": 27, "JO": 30, "KW": 30, "KZ": 20, "LB": 28, "LC": 32,
    "LI": 21, "LT": 20, "LU": 20, "LV": 21, "LY": 25, "MC": 27, "MD": 24, "ME": 22, "MK": 19,
    "MN": 20, "MR": 27, "MT": 31, "MU": 30, "NI": 28, "NL": 18, "NO": 15, "OM": 23, "PK": 24,
    "PL": 28, "PS": 29, "PT": 25, "QA": 29, "RO": 24, "RS": 22, "RU": 33, "SA": 24, "SC": 31,
    "SD": 18, "SE": 24, "SI": 19, "SK": 24, "SM": 27, "SO": 23, "ST": 25, "SV": 28, "TL": 23,
    "TN": 24, "TR": 26, "UA": 29, "VA": 22, "VG": 24, "XK": 20, "YE": 30,
}


_BASE58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
_BECH32 = "qpzry9x8gf2tvdw0s3jn54khce6mua7l"


def digits_of(value: str) -> str:
    """The ASCII digits of ``value``, separators dropped."""
    return "".join(ch for ch in value if "0" <= ch <= "9")


def luhn_ok(number: str) -> bool:
    """Luhn (mod 10) check of a digit string."""
    total = 0
    for i, ch in enumerate(reversed(number)):
        d = ord(ch) - 48
        if i % 2:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


def card_issuer_ok(number: str) -> bool:
    """Whether a digit string has the length and prefix of a real card scheme
    (Visa, Mastercard, Amex, Discover, JCB, Diners, UnionPay, Maestro, Mir)."""
    n = len(number)
    if n < 13 or n > 19:
        return False
    p2, p4 = int(number[:2]), int(number[:4])
    if number[0] == "4":                                  # Visa
        return n in (13, 16, 19)
    if 51 <= p2 <= 55 or 2221 <= p4 <= 2720 or 2200 <= p4 <= 2204:   # Mastercard, Mir
        return n == 16
    if p2 in (34, 37):                                    # Amex
        return n == 15
    if p2 in (30, 36, 38, 39):                            # Diners
        return n >= 14
    if p2 in (35, 50, 81) or 56 <= p2 <= 69:              # JCB, Maestro, Discover, UnionPay
        return n >= 16 or p2 in (50, 56, 57, 58, 67)
    return False


def iban_ok(value: str) -> bool:
    """ISO 13616 check: known country, its length, and mod 97 == 1."""
    iban = "".join(ch for ch in value if ch.isalnum()).upper()
    if IBAN_LENGTHS.get(iban[:2]) != len(iban) or not iban[2:4].isdigit():
        return False
    rearranged = iban[4:] + iban[:4]
    try:
        return int("".join(str(int(ch, 36)) for ch in rearranged)) % 97 == 1
    except ValueError:
        return False


def ssn_ok(value: str) -> bool:
    """US SSN ranges: area not 000, 666 or 900-999; group not 00; serial not 0000."""
    d = digits_of(value)
    if len(d) != 9:
        return False
    area, group, serial = d[:3], d[3:5], d[5:]
    return area not in ("000", "666") and area[0] != "9" and group != "00" and serial != "0000"


def itin_ok(value: str) -> bool:
    """US ITIN: 9XX-GG-SSSS with group 50-65, 70-88, 90-92 or 94-99."""
    d = digits_of(value)
    if len(d) != 9 or d[0] != "9":
        return False
    group = int(d[3:5])
    return 50 <= group <= 65 or 70 <= group <= 88 or 90 <= group <= 92 or 94 <= group <= 99


def base58check_ok(value: str) -> bool:
    """A Bitcoin base58check address (P2PKH "1...", P2SH "3..."): double-SHA-256 checksum."""
    number = 0
    for ch in value:
        digit = _BASE58.find(ch)
        if digit < 0:
            return False
        number = number * 58 + digit
    raw = number.to_bytes(25, "big") if number.bit_length() <= 200 else b""
    return len(raw) == 25 and raw[0] in (0, 5) and \
        hashlib.sha256(hashlib.sha256(raw[:21]).digest()).digest()[:4] == raw[21:]


def bech32_ok(value: str) -> bool:
    """A Bitcoin bech32 / bech32m address ("bc1..."): BIP-173/350 checksum."""
    value = value.lower()
    hrp, _, data = value.rpartition("1")
    if hrp != "bc" or len(data) < 6 or any(c not in _BECH32 for c in data):
        return False
    values = [ord(c) >> 5 for c in hrp] + [0] + [ord(c) & 31 for c in hrp] + [_BECH32.index(c) for c in data]
    chk = 1
    for v in values:
        top = chk >> 25
        chk = (chk & 0x1FFFFFF) << 5 ^ v
        for i, g in enumerate((0x3B6A57B2, 0x26508E6D, 0x1EA119FA, 0x3D4233DD, 0x2A1462B3)):
            chk ^= g if (top >> i) & 1 else 0
    return chk in (1, 0x2BC830A3)


#: Address blocks reserved for documentation and examples (RFC 5737, RFC 3849).
DOCUMENTATION_NETWORKS = tuple(ipaddress.ip_network(n) for n in (
    "192.0.2.0/24", "198.51.100.0/24", "203.0.113.0/24", "2001:db8::/32"))


#: Private networks (RFC 1918, RFC 6598, RFC 4193) and link-local blocks: an address in
#: one names a machine only inside its own network, never a subscriber.
PRIVATE_NETWORKS = tuple(ipaddress.ip_network(n) for n in (
    "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10", "169.254.0.0/16",
    "fc00::/7", "fe80::/10"))


_NO_SUBSCRIBER = DOCUMENTATION_NETWORKS + PRIVATE_NETWORKS


def _boilerplate(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    return ip.is_loopback or ip.is_unspecified or any(
        ip in n for n in _NO_SUBSCRIBER if n.version == ip.version)


def ipv4_identifying(value: str) -> bool:
    """A valid IPv4 address that can point at a subscriber: not loopback, unspecified,
    broadcast, a netmask (255.x), from the documentation blocks or a private network,
    which are boilerplate in code and configs."""
    try:
        ip = ipaddress.IPv4Address(value)
    except ValueError:
        return False
    return not (_boilerplate(ip) or value.startswith("255."))


def ipv6_identifying(value: str) -> bool:
    """A valid IPv6 address with at least three non-empty groups and a digit (so that
    ``a::b`` in C++ or ``12:30:45`` are not addresses), not loopback, unspecified, from
    the documentation block or a private or link-local network."""
    core = value.split("%", 1)[0]
    groups = [g for g in core.split(":") if g]
    if len(groups) < 3 or not any(ch.isdigit() for ch in core):
        return False
    try:
        ip = ipaddress.IPv6Address(core)
    except ValueError:
        return False
    return not _boilerplate(ip)


#: Domains reserved for tests, examples and local networks (RFC 2606, RFC 6761, RFC 6762,
#: ICANN's .internal): a host under one names no one's site.
_RESERVED_SUFFIXES = (".localhost", ".test", ".example", ".invalid", ".local", ".internal",
                      ".example.com", ".example.org", ".example.net")
_RESERVED_HOSTS = frozenset(("localhost", "example.com", "example.org", "example.net"))
_AUTHORITY = re.compile(r"(?P<scheme>[A-Za-z][A-Za-z0-9+.\-]*(?::[A-Za-z][A-Za-z0-9+.\-]*)*)://(?P<auth>[^/?#\s]*)")
#: Schemes whose authority is a bucket, a global name rather than a host.
_BUCKET_SCHEMES = frozenset(("s3", "s3a", "s3n", "gs", "az", "abfs", "abfss", "wasb", "wasbs"))


def url_identifying(url: str) -> bool:
    """Whether ``url`` can point at someone's site or account: not when its host is
    loopback, a documentation or private address, a reserved test or local domain, or a name of one
    label (``db:5432``, ``backend:8080``: a service inside a network), and it holds no
    user name or password."""
    m = _AUTHORITY.match(url)
    if m is None or m.group("scheme").lower() in _BUCKET_SCHEMES:
        return True
    auth = m.group("auth")
    if "@" in auth or not auth:
        return True
    host = auth[1:auth.find("]")] if auth.startswith("[") else auth.rsplit(":", 1)[0]
    host = host.lower().rstrip(".")
    try:
        return not _boilerplate(ipaddress.ip_address(host))
    except ValueError:
        pass
    return not (host in _RESERVED_HOSTS or host.endswith(_RESERVED_SUFFIXES)
                or ("." not in host and host.replace("-", "").replace("_", "").isalnum()))


def shannon_entropy(value: str) -> float:
    """Shannon entropy in bits per character."""
    n = len(value)
    if not n:
        return 0.0
    return -sum(c / n * math.log2(c / n) for c in Counter(value).values())


def char_classes(value: str) -> int:
    """How many of lower case, upper case, digits and symbols ``value`` mixes."""
    return (any(ch.islower() for ch in value) + any(ch.isupper() for ch in value)
            + any(ch.isdigit() for ch in value) + any(not ch.isalnum() for ch in value))


_SEGMENT = re.compile(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])|[0-9]+|[^A-Za-z0-9]+")


def mean_segment_length(value: str) -> float:
    """Mean length of the camel-case / snake-case / digit segments of ``value``:
    identifiers (``eglSwapBuffersWithDamage``) have long segments, random keys short
    ones (below 3.2 for 99.9 % of random base-62 strings of 32 characters)."""
    return len(value) / max(len(_SEGMENT.findall(value)), 1)


_HEX = re.compile(r"(?:[0-9a-fA-F]{2})+")


def decode_printable(token: str, min_chars: int = 4) -> str | None:
    """The printable ASCII text a hex (16+ digits) or base64 token encodes, if any."""
    try:
        if len(token) >= 16 and _HEX.fullmatch(token):
            raw = bytes.fromhex(token)
        else:
            raw = base64.b64decode(token + "=" * (-len(token) % 4), validate=True)
    except (binascii.Error, ValueError):
        return None
    if len(raw) < min_chars or not all(32 <= b < 127 for b in raw):
        return None
    return raw.decode("ascii")


_HOME = re.compile(r"(?i)(?:^|[\\/])(?:home|users|var/home|documents and settings)[\\/][^\\/]|^~[^/\\]")
#: Extensions of source, build and config files: a path to one is a project's, not a person's.
_PROJECT_EXTENSIONS = frozenset("""
py pyi pyc js mjs cjs jsx ts tsx go rs java class jar kt kts scala rb php c h cc cpp hpp cs swift m mm dart ex exs
erl lua r jl sh bash zsh ps1 sql yaml yml json toml ini cfg conf xml html css scss vue svelte gradle properties
lock tf hcl proto graphql mk cmake so dll dylib wasm ipynb pem crt key pub
""".split())
#: First folders of system and project trees.
_TREE_ROOTS = frozenset("""
usr etc var opt app srv bin sbin lib lib64 tmp proc sys dev run mnt workspace src lib build dist target out
node_modules vendor site-packages
""".split())
_POSITION = re.compile(r"(?::\d+){1,2}$")


#: Slash-joined tokens that are no file path: a product and its version ("okhttp/4.12.0",
#: "HTTP/1.1", "external-secrets.io/v1beta1"), a log's date ("14/May/2024:09:15:02"), a unit
#: or a pair of short words ("req/s", "and/or"), a git ref ("origin/main"), a web API's route
#: ("/api/v1/auth/login", "/oauth/token").
_NOT_A_PATH = re.compile(
    r"(?i)(?:[\w.+-]+/v?\d+(?:\.\d+)*[\w.+-]*|\d{1,2}/[a-z]{3}/\d{4}(?::\d\d)*|[a-z]{1,4}/[a-z]{1,4}|"
    r"(?:origin|upstream|refs|heads|remotes|tags)/\S*|/?(?:api|v\d+|oauth2?|auth|graphql|rest|rpc|webhooks?)(?:/\S*)?)")


def path_identifying(value: str) -> bool:
    """Whether the file path ``value`` can point at someone's files: in a home folder
    with a name, or not a path of a system or project tree (a first folder such as
    ``/usr`` or ``src``, a source or config file, a ``node:`` module, a ``@scope/``
    package) nor a slash-joined token of another kind (:data:`_NOT_A_PATH`). Of a value
    with spaces ("POST /api/v1/login HTTP/1.1"), a token with a slash must be one."""
    if _HOME.search(value):
        return True
    tokens = [t for t in value.split() if "/" in t or "\\" in t]
    if len(tokens) != 1 or tokens[0] != value.strip():
        return any(path_identifying(t) for t in tokens)
    if _NOT_A_PATH.fullmatch(_POSITION.sub("", value.strip())):
        return False
    core = _POSITION.sub("", value.strip())
    if core.startswith(("node:", "file:", "@")):
        return False
    parts = [p for p in re.split(r"[\\/]+", core) if p not in ("", ".", "..", "~")]
    if not parts:
        return False
    last = parts[-1]
    ext = last.rsplit(".", 1)[1].lower() if "." in last[1:] else ""
    return not (ext in _PROJECT_EXTENSIONS or parts[0].lower() in _TREE_ROOTS)

