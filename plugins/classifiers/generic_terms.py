"""Proper nouns that name no one: technologies, products, services and units.

NER models and the ``ml`` tagger take them for people, organisations or places
("Linux" as a place, "ChatGPT" as a person, "Celsius" as a nationality), and masking
them costs answers their subject ("How do I change a password on [LOCATION_1]?"). A
span made only of such words, joined by connectors ("Ubuntu and Windows"), is dropped
by both classifiers; a span with anything else in it ("Sharon's Python course") stays.
"""
from __future__ import annotations

import re

#: Programming languages, software, platforms, formats, protocols and standards, and AI models.
TECH_TERMS = frozenset("""
python java javascript typescript kotlin swift rust golang go ruby perl php scala haskell matlab
c c++ c# sql mysql postgresql sqlite mongodb redis html css json xml yaml bash powershell latex
react angular vue django flask fastapi spring node node.js nodejs numpy pandas pytorch tensorflow
keras docker kubernetes linux ubuntu debian fedora windows macos android ios excel word powerpoint
outlook chatgpt gpt gpt-3 gpt-4 gpt-3.5 bard gemini claude copilot llama midjourney dall-e
api sdk ai ml nlp seo cv
oauth oauth2 openid oidc saml jwt ldap kerberos ssh tls ssl http https ftp sftp smtp imap tcp udp dns
ipv4 ipv6 rest graphql grpc websocket websockets cors csrf xss sso mfa 2fa totp vpn
stdin stdout stderr utf-8 ascii unicode base64 regex cli gui ide git svn npm pip yarn maven gradle
nginx terraform ansible bcrypt argon2 scrypt pbkdf2 sha-1 sha-256 sha256 md5 aes rsa hmac
q&a faq r&d m&a b2b b2c hr kpi okr
""".split())
#: Companies and online services: not private as a person or an organisation the NER
#: makes of them, but an employer or an account where a user names one ("I work at
#: Google"), so only the ``ner`` classifier drops them, as PERSON or ORG.
SERVICE_NAMES = frozenset("""
google youtube facebook instagram twitter tiktok whatsapp telegram linkedin github gitlab openai
aws azure gcp
""".split())
#: Units of measurement named after people.
UNIT_TERMS = frozenset("celsius fahrenheit kelvin newton newtons joule joules watt watts volt volts "
                       "ampere amperes ohm ohms hertz pascal".split())
GENERIC_TERMS = TECH_TERMS | UNIT_TERMS
_CONNECTORS = frozenset({"and", "or", "&", "/", "vs", "vs.", "the", "on", "in", "with", "of"})
_WORDS = re.compile(r"[^\s,/()]+")
_EDGE = ".,;:!?\"'“”‘’"


def is_generic(value: str) -> bool:
    """Whether ``value`` holds only generic terms (and connectors between them)."""
    words = [w.strip(_EDGE).removesuffix("'s").removesuffix("’s") for w in _WORDS.findall(value.casefold())]
    content = [w for w in words if w and w not in _CONNECTORS]
    return bool(content) and all(w in GENERIC_TERMS for w in content)
